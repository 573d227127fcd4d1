using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace AgentVault.Plugins.SigV4;

/// <summary>
/// Builds the SigV4 canonical request of an <see cref="HttpRequestMessage"/>
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
/// </summary>
public static class SigV4Canonicalizer
{
    // Hop-by-hop headers, and headers that clients or proxies add or rewrite after signing, are left unsigned:
    // SigV4 only requires host and the x-amz-* headers the signer adds to be covered.
    private static readonly HashSet<string> UnsignedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "connection", "content-length", "expect", "keep-alive", "proxy-authorization",
        "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    };

    /// <summary>Returns the canonical request and the <c>SignedHeaders</c> list (lower-case names joined by <c>;</c>).</summary>
    public static (string CanonicalRequest, string SignedHeaders) Build(HttpRequestMessage request, string payloadHash, bool doubleEncodePath)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute.", nameof(request));
        }

        var headers = CanonicalHeaders(request, uri);
        var signedHeaders = string.Join(';', headers.Keys);
        var builder = new StringBuilder();
        builder.Append(request.Method.Method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalPath(uri.AbsolutePath, doubleEncodePath)).Append('\n');
        builder.Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return (builder.ToString(), signedHeaders);
    }

    /// <summary>The canonical URI: the escaped path encoded again (most services) or decoded and encoded once (S3).</summary>
    public static string CanonicalPath(string escapedPath, bool doubleEncode)
    {
        if (string.IsNullOrEmpty(escapedPath))
        {
            return "/";
        }

        if (doubleEncode)
        {
            return Encode(escapedPath, keepSlash: true);
        }

        var segments = escapedPath.Split('/');
        return string.Join('/', segments.Select(s => Encode(Uri.UnescapeDataString(s), keepSlash: false)));
    }

    /// <summary>The canonical query: every name and value decoded, encoded the AWS way, sorted by name then value.</summary>
    public static string CanonicalQuery(string query)
    {
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        var pairs = new List<(string Name, string Value)>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : part[(eq + 1)..];
            pairs.Add((Encode(Uri.UnescapeDataString(name), false), Encode(Uri.UnescapeDataString(value), false)));
        }

        pairs.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>Percent-encodes every byte of the UTF-8 form except the RFC 3986 unreserved characters (and <c>/</c> when asked).</summary>
    public static string Encode(string value, bool keepSlash)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static SortedDictionary<string, string> CanonicalHeaders(HttpRequestMessage request, Uri uri)
    {
        var values = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        Collect(values, request.Headers.NonValidated);
        if (request.Content is not null)
        {
            Collect(values, request.Content.Headers.NonValidated);
        }

        if (!values.ContainsKey("host"))
        {
            // Uri.Host keeps the brackets of an IPv6 literal; IdnHost gives the punycode of a DNS name.
            var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
            values["host"] = [uri.IsDefaultPort ? host : $"{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}"];
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, list) in values)
        {
            result[name] = string.Join(',', list.Select(TrimAll));
        }

        return result;
    }

    private static void Collect(SortedDictionary<string, List<string>> values, HttpHeadersNonValidated headers)
    {
        foreach (var (name, headerValues) in headers)
        {
            if (UnsignedHeaders.Contains(name))
            {
                continue;
            }

            var key = name.ToLowerInvariant();
            if (!values.TryGetValue(key, out var list))
            {
                list = [];
                values[key] = list;
            }

            foreach (var v in headerValues)
            {
                list.Add(v);
            }
        }
    }

    // Leading and trailing spaces are removed and runs of spaces collapse to one (the suite's get-header-value-trim).
    private static string TrimAll(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t')
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
