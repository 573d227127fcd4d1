using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Auth;

/// <summary>Sets one header to a literal prefix followed by one credential value (<c>bearer</c>, <c>api-key</c>).</summary>
internal sealed class PrefixedHeaderAuthScheme : IAuthScheme
{
    private readonly string _header;
    private readonly string _prefix;
    private readonly string _key;

    public PrefixedHeaderAuthScheme(string header, string prefix, string key)
    {
        _header = header;
        _prefix = prefix;
        _key = key;
        HeadersToStrip = [header];
    }

    public IReadOnlyCollection<string> HeadersToStrip { get; }

    public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        var value = await request.Credentials.GetAsync(_key, cancellationToken);
        HeaderValues.EnsureSafe(value, _key);
        request.AddInjectedValue(value);
        HeaderValues.Set(request.Request, _header, _prefix + value);
    }

    public override string ToString() => $"{_header}: {_prefix}<{_key}>";
}
