using System.Text;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Auth;

/// <summary>HTTP Basic (RFC 7617) from a username key and an optional password key.</summary>
internal sealed class BasicAuthScheme : IAuthScheme
{
    private readonly string _usernameKey;
    private readonly string? _passwordKey;

    public BasicAuthScheme(string usernameKey, string? passwordKey)
    {
        _usernameKey = usernameKey;
        _passwordKey = passwordKey;
    }

    public IReadOnlyCollection<string> HeadersToStrip { get; } = ["Authorization"];

    public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        var username = await request.Credentials.GetAsync(_usernameKey, cancellationToken);
        var password = _passwordKey is null ? string.Empty : await request.Credentials.GetAsync(_passwordKey, cancellationToken);
        if (username.Contains(':', StringComparison.Ordinal))
        {
            throw new AuthSchemeException($"The value of credential {_usernameKey} contains ':' and cannot be a Basic username.", _usernameKey);
        }

        HeaderValues.EnsureSafe(username, _usernameKey);
        if (_passwordKey is not null)
        {
            HeaderValues.EnsureSafe(password, _passwordKey);
            request.AddInjectedValue(password);
        }
        else
        {
            // Without a password the username is the secret (e.g. an API key sent as Basic username).
            request.AddInjectedValue(username);
        }

        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));
        request.AddInjectedValue(encoded);
        HeaderValues.Set(request.Request, "Authorization", "Basic " + encoded);
    }

    public override string ToString() => $"Authorization: Basic <{_usernameKey}:{_passwordKey}>";
}
