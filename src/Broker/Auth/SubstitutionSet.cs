using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Auth;

/// <summary>
/// The compiled, immutable substitutions of one service, built once per route-table rebuild. Per request, call
/// <see cref="ApplyAsync"/> after the agent's credential headers were stripped and before the auth scheme runs;
/// for an upgrade request also call <see cref="PrepareWebSocketAsync"/>. A key is resolved only when its placeholder
/// actually occurs on a declared surface (WebSocket keys are resolved at upgrade time).
/// </summary>
internal sealed class SubstitutionSet
{
    /// <summary>Bodies larger than this are forwarded untouched (a placeholder in them reaches the upstream as is).</summary>
    public const int DefaultMaxBodyBytes = 8 * 1024 * 1024;

    private readonly CompiledSubstitution[] _items;
    private readonly int _maxBodyBytes;

    private SubstitutionSet(CompiledSubstitution[] items, int maxBodyBytes)
    {
        _items = items;
        _maxBodyBytes = maxBodyBytes;
        Surfaces = items.Aggregate(SubstitutionSurfaces.None, (s, i) => s | i.Surfaces);
    }

    public static SubstitutionSet Empty { get; } = new([], DefaultMaxBodyBytes);

    public IReadOnlyList<CompiledSubstitution> Items => _items;

    /// <summary>Union of the declared surfaces.</summary>
    public SubstitutionSurfaces Surfaces { get; }

    public bool IsEmpty => _items.Length == 0;

    /// <summary>Compiles validated definitions (see <see cref="SubstitutionValidator"/>); invalid entries are skipped, never half-applied.</summary>
    public static SubstitutionSet Compile(IReadOnlyList<SubstitutionDefinition>? definitions, int maxBodyBytes = DefaultMaxBodyBytes)
    {
        if (definitions is null || definitions.Count == 0)
        {
            return Empty;
        }

        var items = new List<CompiledSubstitution>();
        foreach (var d in definitions)
        {
            var surfaces = d.In is null
                ? SubstitutionSurfaces.Path | SubstitutionSurfaces.Query
                : d.In.Aggregate(SubstitutionSurfaces.None, (s, name) => s | SubstitutionValidator.ParseSurface(name));
            if (CredentialKeys.IsValid(d.Key) && SubstitutionValidator.IsValidPlaceholder(d.Placeholder) && surfaces != SubstitutionSurfaces.None)
            {
                items.Add(new CompiledSubstitution(d.Key, d.Placeholder, surfaces));
            }
        }

        return items.Count == 0 ? Empty : new SubstitutionSet([.. items], maxBodyBytes);
    }

    /// <summary>
    /// Replaces placeholders in the outgoing request's path, query and headers (<paramref name="proxyRequest"/>) and body
    /// (read from <paramref name="agentRequest"/>'s body, which is replaced by the rewritten bytes, <c>Content-Length</c> fixed).
    /// Throws <see cref="AuthSchemeException"/> when a value cannot be resolved or cannot go into a header.
    /// </summary>
    public async ValueTask ApplyAsync(HttpRequestMessage proxyRequest, HttpRequest agentRequest, ICredentialAccessor credentials, CancellationToken cancellationToken)
    {
        if ((Surfaces & ~SubstitutionSurfaces.WebSocket) == SubstitutionSurfaces.None)
        {
            return;
        }

        if (proxyRequest.RequestUri is { } uri && (Surfaces & (SubstitutionSurfaces.Path | SubstitutionSurfaces.Query)) != 0)
        {
            var rewritten = await SubstitutionUri.ApplyAsync(uri, _items, credentials, cancellationToken);
            if (rewritten is not null)
            {
                proxyRequest.RequestUri = rewritten;
            }
        }

        if ((Surfaces & SubstitutionSurfaces.Header) != 0)
        {
            await SubstitutionHeaders.ApplyAsync(proxyRequest, _items, credentials, cancellationToken);
        }

        if ((Surfaces & SubstitutionSurfaces.Body) != 0 && proxyRequest.Content is not null)
        {
            await SubstitutionBody.ApplyAsync(proxyRequest, agentRequest, _items, _maxBodyBytes, credentials, cancellationToken);
        }
    }

    /// <summary>
    /// For a WebSocket upgrade with <c>websocket</c> substitutions: resolves their keys, wraps the upgrade features of
    /// <paramref name="context"/> so client→server text frames are rewritten, and removes <c>Sec-WebSocket-Extensions</c>
    /// from <paramref name="proxyRequest"/> (compressed frames could not be rewritten). Returns false when nothing applies.
    /// </summary>
    public async ValueTask<bool> PrepareWebSocketAsync(HttpContext context, HttpRequestMessage proxyRequest, ICredentialAccessor credentials, CancellationToken cancellationToken)
    {
        if ((Surfaces & SubstitutionSurfaces.WebSocket) == 0)
        {
            return false;
        }

        var pairs = new List<(byte[], byte[])>();
        foreach (var item in _items.Where(i => i.Has(SubstitutionSurfaces.WebSocket)))
        {
            var value = await credentials.GetAsync(item.Key, cancellationToken);
            pairs.Add((item.PlaceholderBytes, System.Text.Encoding.UTF8.GetBytes(value)));
        }

        proxyRequest.Headers.Remove("Sec-WebSocket-Extensions");
        return WebSocketSubstitution.Wrap(context, new ByteReplacer(pairs));
    }
}
