using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class BootstrapSecretResolverTests
{
    [Fact]
    public async Task EnvReference_ReadsVariable()
    {
        var name = "AV_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            Assert.Equal("from-env", await Resolver().ResolveAsync("env:" + name, CancellationToken.None));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("token\n", "token")]
    [InlineData("token\r\n", "token")]
    [InlineData("token", "token")]
    [InlineData("two\nlines\n", "two\nlines")]
    public async Task FileReference_TrimsOneTrailingNewline(string content, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(path, content);
        try
        {
            Assert.Equal(expected, await Resolver().ResolveAsync("file:" + path, CancellationToken.None));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("env:AV_TEST_SURELY_NOT_SET_42", "is not set")]
    [InlineData("file:relative/path", "absolute path")]
    [InlineData("file:/nonexistent/av-test/x", "cannot read")]
    [InlineData("just-text", "bootstrap reference is not")]
    public async Task BadReference_IsInvalidConfiguration(string reference, string expected)
    {
        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => Resolver().ResolveAsync(reference, CancellationToken.None).AsTask());

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreReference_ResolvesThroughOtherStore()
    {
        await using var h = new SecretsHarness();
        h.Configure([], SecretsHarness.FakeStore("a"), SecretsHarness.FakeStore("b"));
        h.Store("b").Set("approle", """{"secret_id":"sid"}""");
        var contextA = h.Factory.Contexts.Single(c => c.StoreName == "a");

        Assert.Equal("sid", await contextA.Bootstrap.ResolveAsync("b:approle#secret_id", CancellationToken.None));
    }

    [Fact]
    public async Task StoreReferenceCycle_IsRefused()
    {
        await using var h = new SecretsHarness();
        h.Configure(new Dictionary<string, CredentialDefinition> { ["K"] = new() { Ref = "a:x" } }, SecretsHarness.FakeStore("a"), SecretsHarness.FakeStore("b"));
        var contextA = h.Factory.Contexts.Single(c => c.StoreName == "a");
        var contextB = h.Factory.Contexts.Single(c => c.StoreName == "b");
        h.Store("a").Reader = async (_, ct) => new SecretValue(await contextA.Bootstrap.ResolveAsync("b:y", ct));
        h.Store("b").Reader = async (_, ct) => new SecretValue(await contextB.Bootstrap.ResolveAsync("a:z", ct));

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("K").AsTask());

        Assert.Contains("cycle: a -> b -> a", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfReference_IsRefused()
    {
        await using var h = new SecretsHarness();
        h.Configure([], SecretsHarness.FakeStore("a"));
        var context = h.Factory.Contexts.Single();

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => context.Bootstrap.ResolveAsync("a:x", CancellationToken.None).AsTask());

        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
    }

    private static BootstrapSecretResolver Resolver() => new("self", () => null);
}
