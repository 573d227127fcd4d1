using System.Text;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Auth;

/// <summary>
/// Path and query substitution: the value is percent-encoded as one path segment / one query component. The rest of the
/// path and query stays exactly as the agent sent it (no decoding, re-encoding or dot-segment removal).
/// </summary>
internal static class SubstitutionUri
{
    private static readonly UriCreationOptions AsSent = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public static async ValueTask<Uri?> ApplyAsync(Uri uri, IReadOnlyList<CompiledSubstitution> items, ICredentialAccessor credentials, CancellationToken cancellationToken)
    {
        var path = uri.AbsolutePath;
        var query = uri.Query;
        var changed = false;
        foreach (var item in items)
        {
            var inPath = item.Has(SubstitutionSurfaces.Path) && path.Contains(item.Placeholder, StringComparison.Ordinal);
            var inQuery = item.Has(SubstitutionSurfaces.Query) && query.Contains(item.Placeholder, StringComparison.Ordinal);
            if (!inPath && !inQuery)
            {
                continue;
            }

            // EscapeDataString leaves only unreserved characters: '/', '?', '#', '&', '=', '+' and '%' are all encoded.
            var encoded = Uri.EscapeDataString(await credentials.GetAsync(item.Key, cancellationToken));
            if (inPath)
            {
                path = path.Replace(item.Placeholder, encoded, StringComparison.Ordinal);
            }

            if (inQuery)
            {
                query = query.Replace(item.Placeholder, encoded, StringComparison.Ordinal);
            }

            changed = true;
        }

        if (!changed)
        {
            return null;
        }

        var builder = new StringBuilder(uri.GetLeftPart(UriPartial.Authority)).Append(path).Append(query);
        return new Uri(builder.ToString(), AsSent);
    }
}
