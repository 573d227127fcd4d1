using System.Text;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// A parsed credential reference <c>store:path[?k=v&amp;...][#field]</c>. <see cref="CacheKey"/> is the path plus the
/// canonical query: every field of one secret (or one dynamic lease) is read once and cached under it.
/// </summary>
public sealed class CredentialReference
{
    private CredentialReference(string store, string path, IReadOnlyDictionary<string, string> query, string? field, string cacheKey)
    {
        Store = store;
        Path = path;
        Query = query;
        Field = field;
        CacheKey = cacheKey;
    }

    /// <summary>The configured store name (before the first colon).</summary>
    public string Store { get; }

    /// <summary>The store-specific path (may itself contain colons and slashes, e.g. an ARN).</summary>
    public string Path { get; }

    /// <summary>Options after <c>?</c>, percent-decoded; empty when none.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The field after <c>#</c>, or null for the whole value.</summary>
    public string? Field { get; }

    /// <summary>Path plus the query sorted by name: the unit of caching inside one store.</summary>
    public string CacheKey { get; }

    /// <summary>Parses a reference; on failure <paramref name="error"/> says what is wrong (it never contains more than the reference's shape).</summary>
    public static bool TryParse(string? text, out CredentialReference reference, out string error)
    {
        reference = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a reference is 'store:path[?option=value][#field]' and must not be empty";
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                error = "a reference must not contain spaces or control characters";
                return false;
            }
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = "a reference starts with a store name and a colon, e.g. 'local:openai' or 'hcv:secret/data/github#token'";
            return false;
        }

        var store = text[..colon];
        if (!IsStoreName(store))
        {
            error = $"'{store}' is not a valid store name (lower-case letters, digits and dashes, starting with a letter)";
            return false;
        }

        var rest = text[(colon + 1)..];
        string? field = null;
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            field = rest[(hash + 1)..];
            rest = rest[..hash];
            if (field.Length == 0)
            {
                error = "the field after '#' is empty";
                return false;
            }
        }

        var query = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            if (!TryParseQuery(rest[(question + 1)..], query, out error))
            {
                return false;
            }

            rest = rest[..question];
        }

        if (rest.Length == 0)
        {
            error = $"the path after '{store}:' is empty";
            return false;
        }

        var key = new StringBuilder(rest);
        var first = true;
        foreach (var (k, v) in query)
        {
            key.Append(first ? '?' : '&').Append(Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v));
            first = false;
        }

        reference = new CredentialReference(store, rest, new Dictionary<string, string>(query, StringComparer.Ordinal), field, key.ToString());
        error = string.Empty;
        return true;
    }

    /// <summary>Parses a reference or throws <see cref="FormatException"/>.</summary>
    public static CredentialReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw new FormatException(error);

    /// <summary>True for a valid store name: a lower-case letter, then up to 62 lower-case letters, digits or dashes.</summary>
    public static bool IsStoreName(string name)
    {
        if (name.Length is 0 or > 63 || !char.IsAsciiLetterLower(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The reference as written in canonical form (query sorted).</summary>
    public override string ToString() => Field is null ? $"{Store}:{CacheKey}" : $"{Store}:{CacheKey}#{Field}";

    private static bool TryParseQuery(string text, SortedDictionary<string, string> query, out string error)
    {
        if (text.Length == 0)
        {
            error = "the query after '?' is empty";
            return false;
        }

        foreach (var pair in text.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            string decodedName, decodedValue;
            try
            {
                decodedName = Uri.UnescapeDataString(name);
                decodedValue = Uri.UnescapeDataString(value);
            }
            catch (UriFormatException)
            {
                error = "the query is not validly percent-encoded";
                return false;
            }

            if (decodedName.Length == 0)
            {
                error = "a query option has an empty name";
                return false;
            }

            if (!query.TryAdd(decodedName, decodedValue))
            {
                error = $"the query option '{decodedName}' is given twice";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }
}
