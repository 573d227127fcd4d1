using System.Text;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// The redaction state of one response: the patterns of the secrets injected into its request, and how many
/// replacements were made (for the request log). Thread-safe counting; matching is leftmost, longest pattern first.
/// </summary>
internal sealed class Redactor
{
    public const string Replacement = "[REDACTED]";
    private static readonly byte[] ReplacementBytes = Encoding.ASCII.GetBytes(Replacement);
    private readonly byte[][] _patterns;
    private int _count;

    public Redactor(IEnumerable<string> injectedValues)
    {
        _patterns = [.. RedactionPatterns.For(injectedValues)];
        MaxPatternLength = _patterns.Length == 0 ? 0 : _patterns.Max(p => p.Length);
    }

    /// <summary>True when there is nothing to look for.</summary>
    public bool IsEmpty => _patterns.Length == 0;

    public int MaxPatternLength { get; }

    /// <summary>Replacements made so far (headers and body).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Returns the header value with every secret replaced (the same instance when nothing matched).</summary>
    public string RedactText(string value)
    {
        if (IsEmpty || value.Length == 0)
        {
            return value;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        var output = new List<byte>(bytes.Length);
        var consumed = Redact(bytes, output, final: true);
        return consumed.Replaced ? Encoding.UTF8.GetString([.. output]) : value;
    }

    /// <summary>
    /// Appends <paramref name="input"/> with matches replaced to <paramref name="output"/>, except a tail that could still
    /// become a match once more bytes arrive (unless <paramref name="final"/>). Returns how many input bytes were consumed.
    /// </summary>
    public (int Consumed, bool Replaced) Redact(ReadOnlySpan<byte> input, List<byte> output, bool final)
    {
        var position = 0;
        var replaced = false;
        while (true)
        {
            var (at, length) = FindNext(input, position);
            if (at < 0)
            {
                break;
            }

            // A match touching the end may be the start of a longer pattern: decide when more bytes are here.
            if (!final && at + length == input.Length && MaxPatternLength > length)
            {
                output.AddRange(input[position..at]);
                return (at, replaced);
            }

            output.AddRange(input[position..at]);
            output.AddRange(ReplacementBytes);
            Interlocked.Increment(ref _count);
            replaced = true;
            position = at + length;
        }

        var keep = final ? 0 : PrefixTail(input[position..]);
        output.AddRange(input[position..(input.Length - keep)]);
        return (input.Length - keep, replaced);
    }

    private (int At, int Length) FindNext(ReadOnlySpan<byte> input, int start)
    {
        var best = -1;
        var bestLength = 0;
        var window = input[start..];
        foreach (var pattern in _patterns)
        {
            var limit = best < 0 ? window.Length : Math.Min(window.Length, best - start + pattern.Length - 1);
            var found = window[..limit].IndexOf(pattern);
            if (found >= 0 && (best < 0 || start + found < best))
            {
                best = start + found;
                bestLength = pattern.Length;
            }
        }

        return (best, bestLength);
    }

    /// <summary>Length of the longest suffix of <paramref name="tail"/> that is a proper prefix of a pattern.</summary>
    private int PrefixTail(ReadOnlySpan<byte> tail)
    {
        for (var k = Math.Min(tail.Length, MaxPatternLength - 1); k > 0; k--)
        {
            var suffix = tail[^k..];
            foreach (var pattern in _patterns)
            {
                if (pattern.Length > k && pattern.AsSpan().StartsWith(suffix))
                {
                    return k;
                }
            }
        }

        return 0;
    }
}
