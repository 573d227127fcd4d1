using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Auth;

/// <summary>Header substitution: the value goes in raw; a value with CR, LF or NUL is refused.</summary>
internal static class SubstitutionHeaders
{
    public static async ValueTask ApplyAsync(HttpRequestMessage request, IReadOnlyList<CompiledSubstitution> items, ICredentialAccessor credentials, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            if (!item.Has(SubstitutionSurfaces.Header))
            {
                continue;
            }

            await ApplyAsync(request.Headers, item, credentials, cancellationToken);
            if (request.Content is not null)
            {
                await ApplyAsync(request.Content.Headers, item, credentials, cancellationToken);
            }
        }
    }

    private static async ValueTask ApplyAsync(System.Net.Http.Headers.HttpHeaders headers, CompiledSubstitution item, ICredentialAccessor credentials, CancellationToken cancellationToken)
    {
        List<(string Name, string[] Values)>? hits = null;
        foreach (var (name, values) in headers.NonValidated)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var array = values.ToArray();
            if (array.Any(v => v.Contains(item.Placeholder, StringComparison.Ordinal)))
            {
                (hits ??= []).Add((name, array));
            }
        }

        if (hits is null)
        {
            return;
        }

        var value = await credentials.GetAsync(item.Key, cancellationToken);
        HeaderValues.EnsureSafe(value, item.Key);
        foreach (var (name, values) in hits)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, values.Select(v => v.Replace(item.Placeholder, value, StringComparison.Ordinal)));
        }
    }
}
