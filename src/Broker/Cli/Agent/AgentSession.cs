using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>
/// What the agent side (<c>run</c>, <c>env</c>) learns from the broker with only <c>AGENT_VAULT_ADDR</c>,
/// <c>AGENT_VAULT_TOKEN</c> and <c>AGENT_VAULT_VAULT</c>: the proxy URL and vault from <c>GET /v1/discover</c>,
/// and the CA certificate, written to a per-user cache beside the Node.js preload (<see cref="NodePreload"/>).
/// </summary>
internal sealed record AgentSession(Uri ApiAddress, Uri ProxyUrl, string Token, string Vault, CaFiles CaFiles, string NodePreloadFile)
{
    public static async Task<AgentSession> OpenAsync(string? vaultOverride, CancellationToken cancellationToken)
    {
        var token = CliEnvironment.AgentToken()
            ?? throw new CliException($"{CliEnvironment.AgentTokenVariable} is not set: give the agent a token from 'agent-vault agent create' or 'agent-vault token mint'");
        var vault = vaultOverride ?? CliEnvironment.Vault();

        using var api = ApiClient.WithToken(token, CliEnvironment.AgentTokenVariable);
        var path = vault is null ? "v1/discover" : "v1/discover?vault=" + ApiClient.Escape(vault);
        var discover = CliOutput.Object(await api.GetAsync(path, cancellationToken).ConfigureAwait(false));

        var proxyText = CliOutput.Text(discover["proxy_url"]);
        if (!Uri.TryCreate(proxyText, UriKind.Absolute, out var proxyUrl) || (proxyUrl.Scheme != Uri.UriSchemeHttp && proxyUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"the broker at {api.Display} announced an unusable proxy URL '{proxyText}'");
        }

        var discoveredVault = CliOutput.Text(discover["vault"]);
        if (discoveredVault.Length == 0)
        {
            throw new CliException($"the broker did not say which vault to use; set {CliEnvironment.VaultVariable} or pass --vault");
        }

        var pem = await api.GetTextAsync("v1/ca.pem", cancellationToken).ConfigureAwait(false);
        var caFiles = await CaFiles.WriteAsync(api.BaseAddress, pem, cancellationToken).ConfigureAwait(false);
        var nodePreload = NodePreload.Write();
        return new AgentSession(api.BaseAddress, proxyUrl, token, discoveredVault, caFiles, nodePreload);
    }

    /// <summary>The proxy URL with <c>TOKEN:VAULT@</c> user info, both URL-encoded.</summary>
    public string ProxyUrlWithCredentials() =>
        $"{ProxyUrl.Scheme}://{Uri.EscapeDataString(Token)}:{Uri.EscapeDataString(Vault)}@{ProxyUrl.Authority}";

    /// <summary>The variables to set for the agent's process, in a stable order; NODE_OPTIONS extends this process's own.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables() =>
        EnvironmentVariables(Environment.GetEnvironmentVariable(NodeOptions.Variable));

    /// <summary>The variables to set for the agent's process, NODE_OPTIONS extending <paramref name="existingNodeOptions"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables(string? existingNodeOptions)
    {
        var proxy = ProxyUrlWithCredentials();
        var noProxy = string.Join(',', new[] { "localhost", "127.0.0.1", "::1", ApiAddress.IdnHost }.Distinct(StringComparer.OrdinalIgnoreCase));
        return
        [
            new("HTTPS_PROXY", proxy),
            new("HTTP_PROXY", proxy),
            new("https_proxy", proxy),
            new("http_proxy", proxy),
            new("NO_PROXY", noProxy),
            new("no_proxy", noProxy),
            new("NODE_USE_ENV_PROXY", "1"),

            // Node 20 and 22 (before 22.21) ignore NODE_USE_ENV_PROXY: the preload routes their fetch and http/https.
            new(NodeOptions.Variable, NodeOptions.WithPreload(existingNodeOptions, NodePreloadFile)),

            // These replace the default trust store of their tool: point them at system roots + the broker CA,
            // so hosts the vault passes through unchanged still verify.
            new("SSL_CERT_FILE", CaFiles.BundleFile),
            new("REQUESTS_CA_BUNDLE", CaFiles.BundleFile),
            new("CURL_CA_BUNDLE", CaFiles.BundleFile),
            new("GIT_SSL_CAINFO", CaFiles.BundleFile),
            new("AWS_CA_BUNDLE", CaFiles.BundleFile),

            // These add to the default roots: the broker CA alone.
            new("NODE_EXTRA_CA_CERTS", CaFiles.CaFile),
            new("DENO_CERT", CaFiles.CaFile),
        ];
    }

    public override string ToString() => $"AgentSession {{ ApiAddress = {ApiAddress}, ProxyUrl = {ProxyUrl}, Vault = {Vault} }}";
}
