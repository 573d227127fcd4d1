namespace AgentVault.Functional.Tests.Policy;

/// <summary>A malformed rule makes <c>agent-vault apply -f</c> fail with a message naming the entry, and nothing in the file is applied.</summary>
[Collection(PolicyCollection.Name)]
public sealed class RuleValidationTests(PolicyFixture fixture)
{
    [Theory]
    [InlineData("allow", "GET")]
    [InlineData("allow", "GET repos/**")]
    [InlineData("allow", "GET /repos?page=1")]
    [InlineData("allow", "GET /repos#top")]
    [InlineData("allow", "G(T /repos")]
    [InlineData("allow", "GET /a /b")]
    [InlineData("allow", "")]
    [InlineData("deny", "/admin/**")]
    [InlineData("deny", "DELETE")]
    public async Task MalformedRule_IsRefusedAndNothingIsApplied(string list, string rule)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var yaml = $$"""
        vaults:
          - name: dev
            services:
              - name: fresh-{{suffix}}
                host: "fresh-{{suffix}}.upstream.test"
                auth: { type: bearer, token: API_KEY }
              - name: broken-{{suffix}}
                host: "broken-{{suffix}}.upstream.test"
                auth: { type: bearer, token: API_KEY }
                rules:
                  {{list}}: ["GET /ok/**", "{{rule}}"]
        agents:
          - name: newbie-{{suffix}}
            vaults: [dev]
        """;

        var applied = await fixture.Broker.ApplyAsync(yaml);
        var exported = await fixture.Broker.Process.Cli.RunAsync("export");

        Assert.True(applied.ExitCode == 1, applied.ToString());
        Assert.Contains($"rules.{list}[1]", applied.Stderr, StringComparison.Ordinal);
        Assert.Contains("rule", applied.Stderr[applied.Stderr.IndexOf($"rules.{list}[1]", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.DoesNotContain(suffix, exported.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidRules_AreAppliedAndExportedAsWritten()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var yaml = $$"""
        vaults:
          - name: dev
            services:
              - name: tidy-{{suffix}}
                host: "tidy-{{suffix}}.upstream.test"
                auth: { type: bearer, token: API_KEY }
                rules:
                  allow: ["GET /v1/**", "* /status"]
                  deny: ["DELETE /v1/*/owner"]
        """;

        var applied = await fixture.Broker.ApplyAsync(yaml);
        var exported = await fixture.Broker.Process.Cli.RunAsync("export");

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("tidy-" + suffix, exported.Stdout, StringComparison.Ordinal);
        foreach (var rule in new[] { "GET /v1/**", "* /status", "DELETE /v1/*/owner" })
        {
            Assert.Contains(rule, exported.Stdout, StringComparison.Ordinal);
        }
    }
}
