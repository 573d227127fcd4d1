using System.Text;

namespace AgentVault.Broker.Policy;

/// <summary>
/// The segments a rule is matched against, derived from the escaped request path in two ways:
/// <list type="bullet">
/// <item><b>Strict</b>: split on '/', then each segment percent-decoded once (<c>%2F</c> stays inside its segment).</item>
/// <item><b>Loose</b>: the whole path decoded once, then split on '/' and '\', with <c>;params</c> cut off each segment,
/// the way a lenient upstream (or one behind a normalising front end) may read it.</item>
/// </list>
/// Both drop empty segments (<c>//</c>) and resolve <c>.</c> and <c>..</c> (RFC 3986 §5.2.4). A deny rule that matches
/// either reading denies; an allow rule must match both. So <c>%2F</c>, <c>..</c>, <c>//</c>, <c>\</c> and <c>;</c>
/// tricks cannot reach a path the rules do not allow.
/// </summary>
internal static class RequestPath
{
    public static (string[] Strict, string[] Loose) Segments(string escapedPath)
    {
        var path = escapedPath.Split('?', 2)[0];
        var strict = Normalise(path.Split('/').Select(Decode));
        var loose = Normalise(Decode(path).Split('/', '\\').Select(s => s.Split(';', 2)[0]));
        return (strict, loose);
    }

    private static string[] Normalise(IEnumerable<string> segments)
    {
        var output = new List<string>();
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                continue;
            }

            output.Add(segment);
        }

        return [.. output];
    }

    /// <summary>Decodes %XX escapes once (invalid escapes stay literal) and reads the bytes as UTF-8.</summary>
    private static string Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                bytes.Add((byte)((Uri.FromHex(value[i + 1]) << 4) | Uri.FromHex(value[i + 2])));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
