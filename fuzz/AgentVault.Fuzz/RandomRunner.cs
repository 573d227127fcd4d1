namespace AgentVault.Fuzz;

/// <summary>
/// Fuzzing without AFL: random byte flips, insertions, deletions and splices of the seed corpus, no coverage feedback.
/// Seeded, so a failure repeats; a failing input is written to <c>random-crash-&lt;n&gt;</c> in the working folder.
/// </summary>
internal static class RandomRunner
{
    public static int Run(Action<byte[]> target, string corpus, int count)
    {
        var seeds = Directory.EnumerateFiles(corpus).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        if (seeds.Count == 0)
        {
            seeds.Add([]);
        }

        var random = new Random(16);
        var failures = 0;
        for (var i = 0; i < count; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], seeds[random.Next(seeds.Count)], random);
            if (!Replay.RunOne(target, input, $"random input {i}"))
            {
                File.WriteAllBytes($"random-crash-{i}", input);
                failures++;
            }
        }

        Console.WriteLine($"{count} random inputs, {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    private static byte[] Mutate(byte[] seed, byte[] other, Random random)
    {
        var bytes = new List<byte>(seed);
        for (var n = random.Next(1, 8); n > 0; n--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 3 when other.Length > 0:
                    var from = random.Next(other.Length);
                    bytes.InsertRange(at, other.AsSpan(from, random.Next(other.Length - from + 1)).ToArray());
                    break;
                default:
                    bytes.InsertRange(at, "9999999999999999999"u8.ToArray().AsSpan(0, random.Next(1, 20)).ToArray());
                    break;
            }
        }

        return [.. bytes];
    }
}
