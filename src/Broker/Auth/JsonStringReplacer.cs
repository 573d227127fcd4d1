namespace AgentVault.Broker.Auth;

/// <summary>Replaces placeholders only inside JSON string tokens (keys or values), never in numbers, literals or structure.</summary>
internal static class JsonStringReplacer
{
    /// <summary>Returns the rewritten UTF-8 JSON, or null when no placeholder occurred inside a string.</summary>
    public static byte[]? Replace(ReadOnlySpan<byte> json, ByteReplacer replacer)
    {
        List<byte>? output = null;
        var copied = 0;
        var inString = false;
        var escaped = false;
        var i = 0;
        while (i < json.Length)
        {
            var b = json[i];
            if (!inString)
            {
                inString = b == (byte)'"';
                i++;
                continue;
            }

            if (escaped)
            {
                escaped = false;
                i++;
                continue;
            }

            if (b == (byte)'\\' || b == (byte)'"')
            {
                escaped = b == (byte)'\\';
                inString = b != (byte)'"';
                i++;
                continue;
            }

            if (replacer.MatchAt(json, i) is { } pair)
            {
                output ??= new List<byte>(json.Length + 64);
                output.AddRange(json[copied..i]);
                output.AddRange(pair.To);
                i += pair.From.Length;
                copied = i;
                continue;
            }

            i++;
        }

        if (output is null)
        {
            return null;
        }

        output.AddRange(json[copied..]);
        return [.. output];
    }
}
