using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>Stores refuse raw secrets in their settings; the file store lists names only; store test and removal.</summary>
public sealed class StoreAndSecretTests(DevBrokerFixture fixture) : IClassFixture<DevBrokerFixture>
{
    private BrokerProcess Broker => fixture.Broker;

    [Theory]
    [InlineData("hashicorp-vault", "auth.token", "hvs.RAWsecretVALUE123")]
    [InlineData("infisical", "client_secret", "raw-client-secret-0815")]
    [InlineData("some-uninstalled-type", "api_password", "p4ssw0rd-raw-value")]
    public async Task RawSecretInStoreSettings_IsRefusedNamingTheSettingNotTheValue(string type, string setting, string rawValue)
    {
        var name = "raw-" + Guid.NewGuid().ToString("N")[..8];

        var result = CliAssert.Failed(await Broker.Cli.RunAsync(
            "store", "add", name, "--type", type, "--set", "address=http://127.0.0.1:8200", "--set", "auth.method=token", "--set", $"{setting}={rawValue}"));

        Assert.Contains(setting.Split('.')[^1], result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(rawValue, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(rawValue, Broker.Stdout + Broker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(name, CliAssert.Ok(await Broker.Cli.RunAsync("store", "list")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretReferenceInStoreSettings_IsAccepted()
    {
        var name = "ref-" + Guid.NewGuid().ToString("N")[..8];

        CliAssert.Ok(await Broker.Cli.RunAsync(
            "store", "add", name, "--type", "hashicorp-vault", "--set", "address=http://127.0.0.1:8200", "--set", "auth.method=token", "--set", "auth.token=env:VAULT_TOKEN", "--ttl", "30s"));

        var stores = CliAssert.Json(await Broker.Cli.RunAsync("store", "list", "--json"));
        var store = stores.EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Assert.Equal("env:VAULT_TOKEN", store.GetProperty("settings").GetProperty("auth").GetProperty("token").GetString());
        Assert.Equal("30s", store.GetProperty("cache").GetProperty("ttl").GetString());
        CliAssert.Ok(await Broker.Cli.RunAsync("store", "remove", name));
        Assert.DoesNotContain(name, CliAssert.Ok(await Broker.Cli.RunAsync("store", "list")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretList_ShowsNamesOnly()
    {
        var name = "list-" + Guid.NewGuid().ToString("N")[..8];
        const string value = "value-that-must-not-be-listed-42";
        CliAssert.Ok(await Broker.Cli.RunAsync(["secret", "set", $"local:{name}"], stdin: value + "\n"));

        var text = CliAssert.Ok(await Broker.Cli.RunAsync("secret", "list", "local"));
        var json = CliAssert.Ok(await Broker.Cli.RunAsync("secret", "list", "local", "--json"));

        Assert.Contains(name, text.Lines);
        Assert.Contains(name, json.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(value, text.Output + json.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(value, Broker.Stdout + Broker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(value, await File.ReadAllTextAsync(Path.Combine(Broker.DataDir, "secrets.enc")), StringComparison.Ordinal);

        CliAssert.Ok(await Broker.Cli.RunAsync("secret", "remove", $"local:{name}"));
        Assert.DoesNotContain(name, CliAssert.Ok(await Broker.Cli.RunAsync("secret", "list", "local")).Lines);
    }

    [Fact]
    public async Task SecretSetWithEmptyStdin_Exits1()
    {
        CliAssert.Failed(await Broker.Cli.RunAsync(["secret", "set", "local:empty"], stdin: string.Empty));
    }

    [Fact]
    public async Task StoreTest_LocalFileStoreIsOk()
    {
        var result = CliAssert.Ok(await Broker.Cli.RunAsync("store", "test", "local"));

        Assert.Contains("ok", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreOfUninstalledType_IsListedAsUnavailable()
    {
        var name = "ghost-" + Guid.NewGuid().ToString("N")[..8];
        CliAssert.Ok(await Broker.Cli.RunAsync("store", "add", name, "--type", "no-such-plugin-type", "--set", "region=x"));

        var stores = CliAssert.Json(await Broker.Cli.RunAsync("store", "list", "--json"));

        var store = stores.EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Assert.Equal("unavailable", store.GetProperty("status").GetString());
        Assert.Contains("no-such-plugin-type", store.GetProperty("error").GetString(), StringComparison.Ordinal);
        CliAssert.Failed(await Broker.Cli.RunAsync("store", "test", name));
    }
}
