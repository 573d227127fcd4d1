using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Auth;

/// <summary>Checks header names and values the broker writes, and sets them on the outgoing request.</summary>
internal static class HeaderValues
{
    private static readonly HashSet<string> ForbiddenNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer", "Keep-Alive",
    };

    /// <summary>True when <paramref name="value"/> holds no CR, LF or NUL (which would split or truncate a header).</summary>
    public static bool IsSafeValue(ReadOnlySpan<char> value) => value.IndexOfAny('\r', '\n', '\0') < 0;

    /// <summary>True for an RFC 9110 token that the broker may set (not framing, routing or <c>Proxy-*</c> headers).</summary>
    public static bool IsSettableName(string? name)
    {
        if (string.IsNullOrEmpty(name) || ForbiddenNames.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var c in name)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
                || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="AuthSchemeException"/> (naming the key, never the value) unless the credential value may go into a header.</summary>
    public static void EnsureSafe(string value, string? credentialKey)
    {
        if (!IsSafeValue(value))
        {
            throw new AuthSchemeException(
                credentialKey is null
                    ? "A header value contains CR, LF or NUL and was refused."
                    : $"The value of credential {credentialKey} contains CR, LF or NUL and cannot be sent in a header.",
                credentialKey);
        }
    }

    /// <summary>Replaces header <paramref name="name"/> on the request (or its content) with <paramref name="value"/>; the injected value always wins.</summary>
    public static void Set(HttpRequestMessage request, string name, string value)
    {
        EnsureSafe(value, null);
        // Remove validates the name against the collection (Authorization on content headers throws), TryGetValues does not.
        if (request.Headers.TryGetValues(name, out _))
        {
            request.Headers.Remove(name);
        }

        if (request.Content is not null && request.Content.Headers.TryGetValues(name, out _))
        {
            request.Content.Headers.Remove(name);
        }

        if (request.Headers.TryAddWithoutValidation(name, value))
        {
            return;
        }

        if (request.Content is null || !request.Content.Headers.TryAddWithoutValidation(name, value))
        {
            throw new AuthSchemeException($"Header {name} cannot be set on this request.");
        }
    }
}
