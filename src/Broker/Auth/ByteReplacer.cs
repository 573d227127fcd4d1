namespace AgentVault.Broker.Auth;

/// <summary>Replaces every occurrence of a few byte patterns (placeholders) by their values, leftmost match first.</summary>
internal sealed class ByteReplacer
{
    private readonly (byte[] From, byte[] To)[] _pairs;

    public ByteReplacer(IEnumerable<(byte[] From, byte[] To)> pairs) =>
        _pairs = [.. pairs.Where(p => p.From.Length > 0).OrderByDescending(p => p.From.Length)];

    public bool IsEmpty => _pairs.Length == 0;

    /// <summary>Returns the input with every pattern replaced, or null when nothing matched.</summary>
    public byte[]? Replace(ReadOnlySpan<byte> input)
    {
        List<byte>? output = null;
        var copied = 0;
        var i = 0;
        while (i < input.Length)
        {
            var (at, pair) = FindNext(input, i);
            if (at < 0)
            {
                break;
            }

            output ??= new List<byte>(input.Length + 64);
            output.AddRange(input[copied..at]);
            output.AddRange(pair.To);
            i = at + pair.From.Length;
            copied = i;
        }

        if (output is null)
        {
            return null;
        }

        output.AddRange(input[copied..]);
        return [.. output];
    }

    /// <summary>The longest pattern that matches at <paramref name="position"/>, if any.</summary>
    public (byte[] From, byte[] To)? MatchAt(ReadOnlySpan<byte> input, int position)
    {
        foreach (var pair in _pairs)
        {
            if (input[position..].StartsWith(pair.From))
            {
                return pair;
            }
        }

        return null;
    }

    private (int At, (byte[] From, byte[] To) Pair) FindNext(ReadOnlySpan<byte> input, int start)
    {
        var best = -1;
        (byte[], byte[]) bestPair = default;
        foreach (var pair in _pairs)
        {
            var found = input[start..].IndexOf(pair.From);
            if (found >= 0 && (best < 0 || start + found < best))
            {
                best = start + found;
                bestPair = pair;
            }
        }

        return (best, bestPair);
    }
}
