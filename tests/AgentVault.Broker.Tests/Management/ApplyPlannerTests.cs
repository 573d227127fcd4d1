using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Management;

public sealed class ApplyPlannerTests
{
    private static readonly ConfigDocument Empty = new();

    [Fact]
    public void IntoEmpty_CreatesEveryItem()
    {
        var plan = ApplyPlanner.Plan(Empty, ConfigJson.Document(ConfigJson.Valid), prune: false);

        Assert.True(plan.Changed);
        Assert.Equal(
            ["store/local", "store/hcv", "agent/claude", "vault/dev", "credential/dev/GITHUB_TOKEN", "credential/dev/TG_TOKEN", "service/dev/github", "service/dev/telegram"],
            plan.Created);
        Assert.Empty(plan.Updated);
        Assert.Empty(plan.Deleted);
        Assert.Equal(["claude"], plan.CreatedAgents);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SameDocumentTwice_IsNoChange(bool prune)
    {
        var first = ApplyPlanner.Plan(Empty, ConfigJson.Document(ConfigJson.Valid), prune);
        var second = ApplyPlanner.Plan(first.Document, ConfigJson.Document(ConfigJson.Valid), prune);

        Assert.False(second.Changed);
        Assert.Empty(second.Created);
        Assert.Empty(second.Updated);
        Assert.Empty(second.Deleted);
        Assert.Empty(second.CreatedAgents);
    }

    [Theory]
    [InlineData("stores[1].cache.ttl", "\"30s\"", "store/hcv")]
    [InlineData("vaults[0].unmatched", "\"passthrough\"", "vault/dev")]
    [InlineData("vaults[0].credentials.GITHUB_TOKEN", "\"local:github\"", "credential/dev/GITHUB_TOKEN")]
    [InlineData("vaults[0].services[0].host", "\"api2.github.com\"", "service/dev/github")]
    [InlineData("agents[0].vaults", "[\"dev\", \"dev2\"]", "agent/claude")]
    public void ChangedItem_IsReportedUpdated(string path, string value, string item)
    {
        var current = ApplyPlanner.Plan(Empty, ConfigJson.Document(ConfigJson.Valid), false).Document;
        var plan = ApplyPlanner.Plan(current, ConfigJson.Document(ConfigJson.Edit(ConfigJson.Valid, path, value)), prune: false);

        Assert.True(plan.Changed);
        Assert.Equal([item], plan.Updated);
        Assert.Empty(plan.Created);
        Assert.Empty(plan.Deleted);
    }

    [Fact]
    public void WithoutPrune_ItemsMissingFromTheFile_AreKept()
    {
        var current = ApplyPlanner.Plan(Empty, ConfigJson.Document(ConfigJson.Valid), false).Document;
        var partial = """{ "vaults": [ { "name": "dev", "unmatched": "deny", "credentials": { "NEW_KEY": "local:new" } } ] }""";

        var plan = ApplyPlanner.Plan(current, ConfigJson.Document(partial), prune: false);

        Assert.Equal(["credential/dev/NEW_KEY"], plan.Created);
        Assert.Empty(plan.Deleted);
        var vault = Assert.Single(plan.Document.Vaults!);
        Assert.Equal(["NEW_KEY", "GITHUB_TOKEN", "TG_TOKEN"], vault.Credentials!.Keys);
        Assert.Equal(["github", "telegram"], vault.Services!.Select(s => s.Name));
        Assert.Equal(2, plan.Document.Stores!.Count);
        Assert.Single(plan.Document.Agents!);
    }

    [Fact]
    public void WithPrune_ItemsMissingFromTheFile_AreDeleted()
    {
        var current = ApplyPlanner.Plan(Empty, ConfigJson.Document(ConfigJson.Valid), false).Document;
        var smaller = """
            {
              "stores": [ { "name": "local", "type": "file" } ],
              "vaults": [ { "name": "dev", "unmatched": "deny", "credentials": { "TG_TOKEN": { "ref": "local:telegram", "ttl": "30s" } },
                "services": [ { "name": "telegram", "host": "api.telegram.org", "auth": { "type": "passthrough" }, "substitutions": [{ "key": "TG_TOKEN", "placeholder": "__tg_token__", "in": ["path"] }] } ] } ]
            }
            """;

        var plan = ApplyPlanner.Plan(current, ConfigJson.Document(smaller), prune: true);

        Assert.Equal(["agent/claude", "credential/dev/GITHUB_TOKEN", "service/dev/github", "store/hcv"], plan.Deleted.Order(StringComparer.Ordinal));
        Assert.Equal(["claude"], plan.DeletedAgents);
        Assert.Empty(plan.Created);
        Assert.Empty(plan.Updated);
        Assert.Equal(ConfigDocuments.Clone(ConfigJson.Document(smaller) with { Agents = [] }), plan.Document, new JsonEquality());
    }

    [Fact]
    public void WithPrune_VaultMissingFromTheFile_IsDeleted()
    {
        var current = ConfigJson.Document("""{ "vaults": [ { "name": "a" }, { "name": "b" } ] }""");
        var plan = ApplyPlanner.Plan(current, ConfigJson.Document("""{ "vaults": [ { "name": "b" } ] }"""), prune: true);

        Assert.Equal(["vault/a"], plan.Deleted);
        Assert.Equal(["b"], plan.Document.Vaults!.Select(v => v.Name));
    }

    [Fact]
    public void FileItems_ComeFirstInFileOrder()
    {
        var current = ConfigJson.Document("""{ "stores": [ { "name": "a", "type": "file" }, { "name": "b", "type": "file" } ] }""");
        var plan = ApplyPlanner.Plan(current, ConfigJson.Document("""{ "stores": [ { "name": "c", "type": "file" }, { "name": "b", "type": "file" } ] }"""), prune: false);

        Assert.Equal(["c", "b", "a"], plan.Document.Stores!.Select(s => s.Name));
        Assert.Equal(["store/c"], plan.Created);
    }

    private sealed class JsonEquality : IEqualityComparer<ConfigDocument>
    {
        public bool Equals(ConfigDocument? x, ConfigDocument? y) => ConfigDocuments.SameAs(x, y);

        public int GetHashCode(ConfigDocument obj) => 0;
    }
}
