using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class CredentialCheckerTests
{
    [Fact]
    public async Task Check_ReportsOkOrErrorPerKey_WithoutValues()
    {
        await using var h = new SecretsHarness();
        h.Configure(new Dictionary<string, CredentialDefinition>
        {
            ["GOOD"] = new() { Ref = "s:good" },
            ["MISSING"] = new() { Ref = "s:missing" },
            ["BAD_FIELD"] = new() { Ref = "s:good#nope" },
            ["NO_STORE"] = new() { Ref = "other:x" },
        });
        h.Store().Set("good", "super-secret-value");

        var results = await h.Checker.CheckVaultAsync("v", CancellationToken.None);

        Assert.Equal(["BAD_FIELD", "GOOD", "MISSING", "NO_STORE"], results.Select(r => r.Key));
        Assert.True(results.Single(r => r.Key == "GOOD").Ok);
        Assert.All(results.Where(r => r.Key != "GOOD"), r => Assert.False(r.Ok));
        Assert.Contains("'nope'", results.Single(r => r.Key == "BAD_FIELD").Error, StringComparison.Ordinal);
        Assert.Contains("no store named 'other'", results.Single(r => r.Key == "NO_STORE").Error, StringComparison.Ordinal);
        Assert.All(results, r => Assert.DoesNotContain("super-secret-value", r.Error ?? string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_BypassesCache_AndRevokesLeasesItCreates()
    {
        await using var h = new SecretsHarness();
        h.Configure("DB", "s:db#password");
        var n = 0;
        h.Store().Values["db"] = () => new SecretValue(null, new Dictionary<string, string> { ["password"] = "p" })
        {
            Lease = new SecretLease($"l{++n}", TimeSpan.FromHours(1), true, h.Time.GetUtcNow()),
        };
        await h.ResolveAsync("DB");

        await h.Checker.CheckVaultAsync("v", CancellationToken.None);
        await h.Checker.CheckVaultAsync("v", CancellationToken.None);

        Assert.Equal(3, h.Store().Reads);
        Assert.Equal(["l2", "l3"], h.Store().Revoked);
    }

    [Fact]
    public async Task Check_UnknownVault_ReturnsNothing()
    {
        await using var h = new SecretsHarness();
        h.Configure("K", "s:x");

        Assert.Empty(await h.Checker.CheckVaultAsync("nope", CancellationToken.None));
    }
}
