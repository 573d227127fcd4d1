namespace AgentVault.Fuzz;

/// <summary>Runs a target once per file (a crash AFL saved, or a whole corpus) and prints what escaped; exit 1 on any failure.</summary>
internal static class Replay
{
    public static int Run(Action<byte[]> target, IEnumerable<string> paths)
    {
        var failures = 0;
        var files = paths.SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [p]);
        var count = 0;
        foreach (var file in files)
        {
            count++;
            if (!RunOne(target, File.ReadAllBytes(file), file))
            {
                failures++;
            }
        }

        Console.WriteLine($"{count} inputs, {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    public static bool RunOne(Action<byte[]> target, byte[] input, string name)
    {
        try
        {
            target(input);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine($"CRASH {name}: {e}");
            return false;
        }
    }
}
