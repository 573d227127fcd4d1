using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using AgentVault.Testing.Fakes;

namespace AgentVault.Plugins.Tests.AwsSecretsManager;

public sealed class AwsUnreachableStoreTests
{
    [Fact]
    public async Task NothingListening_FailsUnavailable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var bootstrap = new MapBootstrapResolver { ["env:K"] = "AKIDEXAMPLE", ["env:S"] = "secret" };
        var settings = new JsonObject
        {
            ["region"] = "us-east-1",
            ["endpoint"] = $"http://127.0.0.1:{port}",
            ["access_key_id"] = "env:K",
            ["secret_access_key"] = "env:S",
        };
        await using var aws = new AwsStoreHarness(settings, bootstrap: bootstrap);

        var get = await Assert.ThrowsAsync<SecretStoreException>(() => aws.GetAsync("prod/stripe"));
        var test = await Assert.ThrowsAsync<SecretStoreException>(() => aws.Store.TestAsync(CancellationToken.None));

        Assert.Equal(SecretErrorCategory.Unavailable, get.Category);
        Assert.Equal(SecretErrorCategory.Unavailable, test.Category);
    }

    [Fact]
    public async Task UnresolvableKeyReference_FailsInvalidConfiguration()
    {
        var settings = new JsonObject
        {
            ["region"] = "us-east-1",
            ["endpoint"] = "http://127.0.0.1:9",
            ["access_key_id"] = "env:NOT_SET",
            ["secret_access_key"] = "env:NOT_SET_EITHER",
        };
        await using var aws = new AwsStoreHarness(settings);

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => aws.GetAsync("x"));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, error.Category);
    }
}
