using System.Text.Json;

namespace AgentVault.Testing.Fakes.OAuth;

/// <summary>
/// A real oidc-provider (npm, <c>tests/node</c>) as the identity provider people sign in with: HTTPS on 127.0.0.1 with a
/// certificate of its own test CA (give the broker <see cref="CaPemPath"/> as <c>--upstream-ca</c>), client
/// <see cref="ClientId"/> with <see cref="ClientSecret"/> (authorization code with PKCE, and the device flow), and a
/// development login page on which any email signs in with any password. <see cref="ServerArguments"/> are the broker's flags.
/// </summary>
public sealed class OidcPeopleServer : IAsyncDisposable
{
    public const string ClientId = "agent-vault";
    public const string ClientSecret = "people-client-s3cret";
    public const string SecretVariable = "AGENT_VAULT_TEST_OIDC_SECRET";

    private readonly NodeHttpsScript _script;

    private OidcPeopleServer(NodeHttpsScript script)
    {
        _script = script;
        Issuer = new Uri(script.Started.GetProperty("issuer").GetString()!);
    }

    public Uri Issuer { get; }

    public string CaPemPath => _script.CertificateAuthority.PemPath;

    /// <summary>What the provider wrote on stderr (for a failing test's message).</summary>
    public string Stderr => _script.Stderr;

    /// <summary>The broker's flags for this provider; the secret comes from <see cref="SecretVariable"/> (see <see cref="ServerEnvironment"/>).</summary>
    public IReadOnlyList<string> ServerArguments() =>
        ["--oidc-issuer", Issuer.AbsoluteUri.TrimEnd('/'), "--oidc-client-id", ClientId, "--oidc-client-secret", "env:" + SecretVariable, "--upstream-ca", CaPemPath];

    public static IReadOnlyDictionary<string, string?> ServerEnvironment => new Dictionary<string, string?> { [SecretVariable] = ClientSecret };

    /// <param name="groups">The <c>groups</c> claim of each email that has one.</param>
    public static async Task<OidcPeopleServer> StartAsync(IReadOnlyDictionary<string, string[]>? groups = null, CancellationToken cancellationToken = default) =>
        new(await NodeHttpsScript.StartAsync("oidc-people.mjs", "OIDC People Test CA", new Dictionary<string, string>
        {
            ["OIDC_SECRET"] = ClientSecret,
            ["OIDC_PEOPLE"] = JsonSerializer.Serialize(groups ?? new Dictionary<string, string[]>()),
        }, cancellationToken));

    public ValueTask DisposeAsync() => _script.DisposeAsync();
}
