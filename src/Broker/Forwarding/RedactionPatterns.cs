using System.Collections.Concurrent;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// The byte patterns that reveal a secret value: the value itself, JSON-escaped (relaxed and strict escaping),
/// XML/HTML-escaped, URL-encoded (<c>%20</c> and <c>+</c> for space, upper- and lower-case hex), and base64 / base64url —
/// both the exact encoding and, for the value embedded anywhere inside a longer base64 text, the characters fixed by the
/// value at each of the three byte alignments. The URL-encoded value gets the same treatment as the value itself: that is
/// what a substitution puts into a query or form body, so an upstream that encodes again what it received (base64 of its
/// query string, a form field echoed URL-encoded) is caught too. Values shorter than <see cref="MinValueLength"/> are not
/// redacted (they would blank out ordinary text); derived patterns shorter than <see cref="MinDerivedLength"/> are dropped
/// for the same reason.
/// </summary>
internal static class RedactionPatterns
{
    public const int MinValueLength = 4;
    public const int MinDerivedLength = 8;

    // Deriving the patterns of a value costs more than forwarding a small request, and the same credential is injected
    // into request after request: the patterns are kept per value. The values are the secrets the broker holds in its
    // credential cache anyway; the map is bounded and emptied when full, so rotated-out values do not pile up.
    private const int MaxCachedValues = 1024;
    private static readonly ConcurrentDictionary<string, byte[][]> PatternsByValue = new(StringComparer.Ordinal);

    public static IReadOnlyList<byte[]> For(IEnumerable<string> values)
    {
        byte[][]? single = null;
        List<byte[]>? several = null;
        foreach (var value in values)
        {
            if (value.Length < MinValueLength)
            {
                continue;
            }

            var patterns = PatternsOf(value);
            if (single is null && several is null)
            {
                single = patterns;
                continue;
            }

            several ??= [.. single!];
            several.AddRange(patterns);
        }

        return several is not null ? [.. several.OrderByDescending(p => p.Length)] : single ?? [];
    }

    /// <summary>The patterns of one value (itself and its encodings), longest first.</summary>
    private static byte[][] PatternsOf(string value)
    {
        if (PatternsByValue.TryGetValue(value, out var cached))
        {
            return cached;
        }

        var patterns = new HashSet<string>(StringComparer.Ordinal) { value };
        var onTheWire = Uri.EscapeDataString(value);
        foreach (var derived in onTheWire == value ? Derive(value) : Derive(value).Concat(Derive(onTheWire)))
        {
            if (derived.Length >= MinDerivedLength)
            {
                patterns.Add(derived);
            }
        }

        byte[][] computed = [.. patterns.Select(Encoding.UTF8.GetBytes).OrderByDescending(p => p.Length)];
        if (PatternsByValue.Count >= MaxCachedValues)
        {
            PatternsByValue.Clear();
        }

        PatternsByValue[value] = computed;
        return computed;
    }

    private static IEnumerable<string> Derive(string value)
    {
        yield return JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;
        yield return JsonEncodedText.Encode(value, JavaScriptEncoder.Default).Value;
        yield return WebUtility.HtmlEncode(value);
        yield return SecurityElement.Escape(value);
        var escaped = Uri.EscapeDataString(value);
        yield return escaped;
        yield return LowerHex(escaped);
        var form = WebUtility.UrlEncode(value);
        yield return form;
        yield return LowerHex(form);

        var bytes = Encoding.UTF8.GetBytes(value);
        var exact = Convert.ToBase64String(bytes);
        yield return exact;
        yield return ToUrl(exact);
        for (var shift = 0; shift < 3; shift++)
        {
            var core = AlignedCore(bytes, shift);
            yield return core;
            yield return ToUrl(core);
        }
    }

    /// <summary>
    /// Base64 characters determined only by <paramref name="bytes"/> when they start <paramref name="shift"/> bytes
    /// into a 3-byte group: character i covers bits 6i..6i+5 of the stream, the value occupies bits 8·shift..8·(shift+n)−1.
    /// </summary>
    private static string AlignedCore(byte[] bytes, int shift)
    {
        var padded = new byte[shift + bytes.Length];
        bytes.CopyTo(padded, shift);
        var encoded = Convert.ToBase64String(padded);
        var first = (8 * shift + 5) / 6;
        var end = 8 * (shift + bytes.Length) / 6;
        return end > first ? encoded[first..end] : string.Empty;
    }

    private static string ToUrl(string base64) => base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string LowerHex(string escaped)
    {
        var builder = new StringBuilder(escaped);
        for (var i = 0; i + 2 < builder.Length; i++)
        {
            if (builder[i] == '%')
            {
                builder[i + 1] = char.ToLowerInvariant(builder[i + 1]);
                builder[i + 2] = char.ToLowerInvariant(builder[i + 2]);
            }
        }

        return builder.ToString();
    }
}
