using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Auth;

/// <summary>Sets each configured header from its template.</summary>
internal sealed class CustomAuthScheme : IAuthScheme
{
    private readonly IReadOnlyList<(string Name, HeaderTemplate Template)> _headers;

    public CustomAuthScheme(IReadOnlyList<(string Name, HeaderTemplate Template)> headers)
    {
        _headers = headers;
        HeadersToStrip = headers.Select(h => h.Name).ToArray();
    }

    public IReadOnlyCollection<string> HeadersToStrip { get; }

    public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        foreach (var (name, template) in _headers)
        {
            var value = await template.RenderAsync(request, cancellationToken);
            HeaderValues.Set(request.Request, name, value);
        }
    }

    public override string ToString() => string.Join("; ", _headers.Select(h => h.Name + ": " + h.Template));
}
