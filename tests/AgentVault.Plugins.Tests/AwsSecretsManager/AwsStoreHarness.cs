using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.AwsSecretsManager;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Secrets;
using AgentVault.Testing.Fakes.Moto;

namespace AgentVault.Plugins.Tests.AwsSecretsManager;

/// <summary>Builds an <c>aws-secrets-manager</c> store the way the broker does, pointed at moto.</summary>
internal sealed class AwsStoreHarness : IAsyncDisposable
{
    private readonly HttpClient _http;

    public AwsStoreHarness(JsonObject settings, Dictionary<string, string>? environment = null, MapBootstrapResolver? bootstrap = null)
    {
        Handler = new CountingHandler(new SocketsHttpHandler());
        _http = new HttpClient(Handler) { Timeout = TimeSpan.FromSeconds(30) };
        Bootstrap = bootstrap ?? new MapBootstrapResolver();
        var env = environment ?? [];
        Factory = new AwsSecretsManagerStoreFactory(name => env.TryGetValue(name, out var v) ? v : null);
        Store = Factory.Create(TestStoreContext.Create("aws", settings, Bootstrap, _http));
    }

    public CountingHandler Handler { get; }

    public MapBootstrapResolver Bootstrap { get; }

    public ISecretStoreFactory Factory { get; }

    public ISecretStore Store { get; }

    /// <summary>A store whose key settings are references resolved to the moto user's key (or to <paramref name="secretKey"/>).</summary>
    public static AwsStoreHarness WithKeys(MotoServer moto, string? secretKey = null, string? keyId = null)
    {
        var bootstrap = new MapBootstrapResolver
        {
            ["env:AWS_TEST_KEY_ID"] = keyId ?? moto.AccessKeyId,
            ["env:AWS_TEST_SECRET"] = secretKey ?? moto.SecretAccessKey,
        };
        var settings = new JsonObject
        {
            ["region"] = moto.Region,
            ["endpoint"] = moto.Endpoint.ToString(),
            ["access_key_id"] = "env:AWS_TEST_KEY_ID",
            ["secret_access_key"] = "env:AWS_TEST_SECRET",
        };
        return new AwsStoreHarness(settings, bootstrap: bootstrap);
    }

    public Task<SecretValue> GetAsync(string path, params (string Key, string Value)[] query) =>
        Store.GetSecretAsync(new SecretRequest(path, query.ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal)), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _http.Dispose();
    }
}
