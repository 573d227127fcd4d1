using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.HashiCorpVault;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Secrets;
using AgentVault.Testing.Fakes.Vault;

namespace AgentVault.Plugins.Tests.HashiCorpVault;

/// <summary>A fake Vault plus what the broker would hand the plugin: an HttpClient, a bootstrap resolver, a clock, a capturing logger.</summary>
internal sealed class VaultHarness : IAsyncDisposable
{
    private readonly List<ISecretStore> _stores = [];

    private VaultHarness(FakeVaultServer vault, TimeProvider time)
    {
        Vault = vault;
        Time = time;
    }

    public static ISecretStoreFactory Factory { get; } = CollectingRegistrar.StoreFactory(new HashiCorpVaultPlugin(), "hashicorp-vault");

    public FakeVaultServer Vault { get; }

    public TimeProvider Time { get; }

    public MapBootstrapResolver Bootstrap { get; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    /// <summary>The AppRole secret id of the last <see cref="CreateAppRoleStore"/>.</summary>
    public string? LastSecretId { get; private set; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<VaultHarness> StartAsync(TimeProvider? time = null, FakeVaultOptions? options = null)
    {
        time ??= TimeProvider.System;
        var vault = await FakeVaultServer.StartAsync((options ?? new FakeVaultOptions()) with { TimeProvider = time });
        return new VaultHarness(vault, time);
    }

    /// <summary>Creates a store from JSON settings in which <c>{address}</c> stands for the fake's address.</summary>
    public ISecretStore CreateStore(string settingsJson, string name = "hcv")
    {
        var settings = (JsonObject)JsonNode.Parse(settingsJson.Replace("{address}", Vault.Address.ToString(), StringComparison.Ordinal))!;
        var store = Factory.Create(TestStoreContext.Create(name, settings, Bootstrap, Http, Logs, Time));
        _stores.Add(store);
        return store;
    }

    /// <summary>A store authenticating with a static token given as <c>env:VAULT_TOKEN</c>.</summary>
    public ISecretStore CreateTokenStore(string token)
    {
        Bootstrap["env:VAULT_TOKEN"] = token;
        return CreateStore("""{ "address": "{address}", "auth": { "method": "token", "token": "env:VAULT_TOKEN" } }""");
    }

    /// <summary>A store logging in with AppRole role <paramref name="role"/> created on the fake.</summary>
    public ISecretStore CreateAppRoleStore(string role, TimeSpan tokenTtl, TimeSpan? maxTtl = null, IReadOnlyList<string>? allowedPrefixes = null)
    {
        var (roleId, secretId) = Vault.AddAppRole(role, tokenTtl, maxTtl, allowedPrefixes);
        Bootstrap["env:ROLE_ID"] = roleId;
        Bootstrap["env:SECRET_ID"] = secretId;
        LastSecretId = secretId;
        return CreateStore("""{ "address": "{address}", "auth": { "method": "approle", "role_id": "env:ROLE_ID", "secret_id": "env:SECRET_ID" } }""");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        Http.Dispose();
        await Vault.DisposeAsync();
    }
}
