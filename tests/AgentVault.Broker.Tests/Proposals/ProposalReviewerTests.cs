using System.Text.Json.Nodes;
using AgentVault.Broker.Model;
using AgentVault.Broker.Proposals;
using AgentVault.Broker.Tests.Management.Fakes;

namespace AgentVault.Broker.Tests.Proposals;

public sealed class ProposalReviewerTests
{
    private static readonly ConfigDocument Config = new()
    {
        Vaults =
        [
            new()
            {
                Name = "dev",
                Credentials = new() { ["GITHUB_TOKEN"] = new() { Ref = "local:gh" }, ["UNUSED_KEY"] = new() { Ref = "local:unused" } },
                Services =
                [
                    Bearer("github", "api.github.com", "GITHUB_TOKEN"),
                    Bearer("github-paths", "uploads.github.com/repos/*", "GITHUB_TOKEN"),
                    Bearer("old-gist", "gist.github.com", "GITHUB_TOKEN") with { Enabled = false },
                ],
            },
            new()
            {
                Name = "ops",
                Credentials = new() { ["ROOT_TOKEN"] = new() { Ref = "local:ops-root" } },
                Services = [Bearer("ops", "ops.example.com", "ROOT_TOKEN")],
            },
        ],
    };

    [Theory]
    [InlineData("collector.example", true)]
    [InlineData("API.GITHUB.COM", false)]
    [InlineData("api.github.com/v2/*", false)]
    [InlineData("uploads.github.com/repos/*", false)]
    [InlineData("uploads.github.com", true)]
    [InlineData("gist.github.com", true)]
    [InlineData("api.github.com:8443", true)]
    public void AnExistingCredential_IsFlaggedOnlyForAHostItNeverReached(string host, bool flagged)
    {
        var review = Review(new ProposalChanges { Services = [Bearer("proposed", host, "GITHUB_TOKEN")] });

        Assert.Equal(flagged, review.Warnings.Any(w => w.Code == ProposalWarning.CredentialReachesNewHost && w.Key == "GITHUB_TOKEN"));
    }

    [Fact]
    public void ACredentialNoServiceUsesYet_ReachesANewHostToo_AndTheWarningSaysSo()
    {
        var review = Review(new ProposalChanges { Services = [Bearer("proposed", "new.example", "UNUSED_KEY")] });

        var warning = Assert.Single(review.Warnings);
        Assert.Equal("existing credential UNUSED_KEY (sent to no host today) would also be sent to new.example", warning.Message);
    }

    [Fact]
    public void NewCredentialsAndWildcards_AreListed_AndDescribedKeysAreMissing()
    {
        var review = Review(new ProposalChanges
        {
            Services = [Bearer("stripe", "*.stripe.com", "STRIPE_KEY") with { Rules = new() { Allow = ["GET /v1/**"] } }],
            Credentials = new() { ["STRIPE_KEY"] = new() { Description = "restricted key" }, ["OTHER_KEY"] = new() { Ref = "local:other" } },
        });

        Assert.Equal(
            ["add service stripe: *.stripe.com, auth bearer with STRIPE_KEY; rules: allow GET /v1/**", "add credential OTHER_KEY = local:other",
             "add credential STRIPE_KEY: a person names its reference on approval (restricted key)"],
            review.Changes);
        Assert.Equal(["STRIPE_KEY"], review.MissingCredentials);
        Assert.Equal(ProposalWarning.WildcardHost, Assert.Single(review.Warnings).Code);
    }

    [Fact]
    public void RedactionOffAndPlainHttp_AreWarnings_AndEverySettingIsInTheChangeLine()
    {
        var service = Bearer("echo", "echo.example.com", "UNUSED_KEY") with { Redact = "off", AllowHttp = true, RateLimit = "10/s", Enabled = false };

        var review = Review(new ProposalChanges { Services = [service] });

        Assert.Equal([ProposalWarning.RedactionOff, ProposalWarning.PlainHttp, ProposalWarning.CredentialReachesNewHost], review.Warnings.Select(w => w.Code));
        Assert.Equal("add service echo: echo.example.com, auth bearer with UNUSED_KEY; rate limit 10/s; redact off; allow_http; disabled", Assert.Single(review.Changes));
    }

    [Fact]
    public void SubstitutionKeys_CountAsUsedCredentials()
    {
        var service = new ServiceDefinition
        {
            Name = "telegram",
            Host = "api.telegram.org",
            Auth = new JsonObject { ["type"] = "passthrough" },
            Substitutions = [new() { Key = "GITHUB_TOKEN", Placeholder = "BOT_TOKEN" }],
        };

        Assert.Equal(["GITHUB_TOKEN"], ProposalReviewer.KeysOf(service, ManagementPlugins.Catalog().AuthSchemes));
        Assert.Single(Review(new ProposalChanges { Services = [service] }).Warnings);
    }

    [Fact]
    public void TheSameSecretUnderANewName_OrAnotherVaultsSecret_IsStillFlagged()
    {
        var review = Review(new ProposalChanges
        {
            Services = [Bearer("collector", "collector.example", "GH2"), Bearer("collector-2", "collector2.example", "OPSX")],
            Credentials = new() { ["GH2"] = new() { Ref = "local:gh" }, ["OPSX"] = new() { Ref = "local:ops-root" } },
        });

        Assert.Equal(
            [(ProposalWarning.ExistingSecret, "GH2"), (ProposalWarning.ExistingSecret, "OPSX"), (ProposalWarning.CredentialReachesNewHost, "GH2"), (ProposalWarning.CredentialReachesNewHost, "OPSX")],
            review.Warnings.Select(w => (w.Code, w.Key)));
        Assert.Contains("a secret already used as ROOT_TOKEN of vault ops", review.Warnings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AServiceSharingAHostWithAnExistingOne_ShadowsIt_AndContentSubstitutionsAreFlagged()
    {
        var service = Bearer("github-v2", "api.github.com/**", "GITHUB_TOKEN") with
        {
            Substitutions = [new() { Key = "GITHUB_TOKEN", Placeholder = "GH_PLACEHOLDER", In = ["body", "path"] }],
        };

        var review = Review(new ProposalChanges { Services = [service] });

        Assert.Equal([ProposalWarning.ShadowsService, ProposalWarning.SubstitutionIntoContent], review.Warnings.Select(w => w.Code));
        Assert.Contains("existing service github (api.github.com)", review.Warnings[0].Message, StringComparison.Ordinal);
    }

    private static ProposalReview Review(ProposalChanges changes) => ProposalReviewer.Review(changes, Config, "dev", ManagementPlugins.Catalog().AuthSchemes);

    private static ServiceDefinition Bearer(string name, string host, string key) =>
        new() { Name = name, Host = host, Auth = new JsonObject { ["type"] = "bearer", ["token"] = key } };
}
