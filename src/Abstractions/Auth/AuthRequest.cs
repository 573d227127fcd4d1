namespace AgentVault.Abstractions.Auth;

/// <summary>One outgoing request handed to an auth scheme, with access to the vault's credentials.</summary>
public sealed class AuthRequest
{
    private readonly List<string> _injected = [];

    /// <summary>Creates the context for one request.</summary>
    public AuthRequest(HttpRequestMessage request, ICredentialAccessor credentials)
    {
        Request = request;
        Credentials = credentials;
    }

    /// <summary>The request to the upstream; its URI (destination) is fixed by the broker and must not be changed to another host.</summary>
    public HttpRequestMessage Request { get; }

    /// <summary>Resolves credential keys of the vault to values (from the broker's cache).</summary>
    public ICredentialAccessor Credentials { get; }

    /// <summary>Values placed into the request (e.g. a minted access token) that the broker redacts from responses.</summary>
    public IReadOnlyList<string> InjectedValues => _injected;

    /// <summary>Records a value the scheme put into the request so the broker can redact it from the response.</summary>
    public void AddInjectedValue(string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _injected.Add(value);
        }
    }
}
