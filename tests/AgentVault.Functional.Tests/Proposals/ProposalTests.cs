using System.Text.Json;
using AgentVault.Functional.Tests.ControlPlane;

namespace AgentVault.Functional.Tests.Proposals;

/// <summary>
/// Proposals through the real broker process (SPEC §12): an agent refused a host proposes a service with its own token, a
/// person reviews and approves it with the CLI, and the agent's next request is served with a credential it never held.
/// Agents cannot approve, see others' proposals or exceed the pending limit; a proposal that would send an existing
/// credential to a new host is flagged.
/// </summary>
[Collection(ProposalCollection.Name)]
public sealed class ProposalTests(ProposalFixture fixture)
{
    [Fact]
    public async Task AgentRefused_ProposesWithTheCli_PersonApprovesWithTheCli_NextRequestSucceeds()
    {
        var broker = fixture.Broker;
        var host = $"{ProposalFixture.CollectorHost}:{fixture.Upstream.Port}";
        using var agent = broker.CreateClient(fixture.Claude, "dev");

        // Refused, with a hint that says where to propose.
        using (var refused = await agent.GetAsync(new Uri($"http://{ProposalFixture.CollectorHost}/v1/first")))
        {
            Assert.Equal(403, (int)refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            var hint = problem.RootElement.GetProperty("proposal_hint");
            Assert.Equal((ProposalFixture.CollectorHost, 80, "/v1/proposals"), (hint.GetProperty("host").GetString(), hint.GetProperty("port").GetInt32(), hint.GetProperty("endpoint").GetString()));
        }

        // The agent proposes from a YAML file with its own token; the credential is only described.
        var file = Path.Combine(broker.Process.WorkDir, "proposal-" + Guid.NewGuid().ToString("N")[..6] + ".yaml");
        await File.WriteAllTextAsync(file, $"""
            vault: dev
            message: I need the collector API to upload reports.
            services:
              - name: collector
                host: "{host}"
                auth: {"{"} type: bearer, token: COLLECTOR_TOKEN {"}"}
                rules: {"{"} allow: ["GET /v1/**"] {"}"}
            credentials:
              COLLECTOR_TOKEN: {"{"} description: the collector's API token {"}"}
            """);
        var created = CliAssert.Json(await broker.AgentCli(fixture.Claude, "dev").RunAsync("proposal", "create", "-f", file, "--json"));
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("pending", created.GetProperty("status").GetString());
        Assert.False(created.TryGetProperty("review", out _), "the review (where credentials go today) is for people, not for the agent");
        var review = (await fixture.GetAsync(broker.Process.AdminToken, "/v1/proposals/" + id)).Body.GetProperty("review");
        Assert.Equal(["COLLECTOR_TOKEN"], review.GetProperty("missing_credentials").EnumerateArray().Select(k => k.GetString()));

        // A person sees it, with its changes, and approves it naming the reference the agent could only describe.
        var listed = CliAssert.Json(await broker.Process.Cli.RunAsync("proposal", "list", "--status", "pending", "--json"));
        Assert.Contains(listed.EnumerateArray(), p => p.GetProperty("id").GetString() == id);
        var shown = CliAssert.Ok(await broker.Process.Cli.RunAsync("proposal", "show", id)).Stdout;
        Assert.Contains($"+ add service collector: {host}, auth bearer with COLLECTOR_TOKEN; rules: allow GET /v1/**", shown, StringComparison.Ordinal);
        Assert.Contains("approve with a reference for each of: COLLECTOR_TOKEN", shown, StringComparison.Ordinal);

        var missing = await broker.Process.Cli.RunAsync("proposal", "approve", id);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("needs a reference for COLLECTOR_TOKEN", missing.Stderr, StringComparison.Ordinal);

        var approved = CliAssert.Json(await broker.Process.Cli.RunAsync("proposal", "approve", id, "--credential", "COLLECTOR_TOKEN=local:proposed", "--json"));
        Assert.Equal(("approved", "admin-token"), (approved.GetProperty("status").GetString(), approved.GetProperty("decided_by").GetString()));

        // The next request is routed and a credential the agent never had is injected (echoed back redacted).
        using var served = await agent.GetAsync(new Uri($"https://{host}/v1/reports"));
        Assert.Equal(200, (int)served.StatusCode);
        using var echo = JsonDocument.Parse(await served.Content.ReadAsStringAsync());
        Assert.Equal("Bearer [REDACTED]", echo.RootElement.GetProperty("headers").GetProperty("authorization").GetString());

        // The proposal's rules came with it; and it cannot be decided twice.
        var export = CliAssert.Ok(await broker.Process.Cli.RunAsync("export")).Stdout;
        using var denied = await agent.DeleteAsync(new Uri($"https://{host}/v1/reports"));
        Assert.True(403 == (int)denied.StatusCode, export);
        var again = await fixture.PostAsync(broker.Process.AdminToken, $"/v1/proposals/{id}/reject", new { reason = "too late" });
        Assert.Equal((409, "conflict"), (again.Status, again.Body.GetProperty("code").GetString()));
        Assert.Contains("COLLECTOR_TOKEN: local:proposed", export, StringComparison.Ordinal);
        Assert.DoesNotContain(ProposalFixture.NewSecret, export + shown + approved.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgent_CanNeverDecide_NorListOrReadOthersProposals()
    {
        var id = await fixture.ProposeAsync("self-approve", "self-approve.example.com");

        foreach (var action in new[] { "approve", "reject" })
        {
            var (status, body) = await fixture.PostAsync(fixture.Claude, $"/v1/proposals/{id}/{action}", new { reason = "mine" });
            Assert.Equal((401, "unauthorized"), (status, body.GetProperty("code").GetString()));
        }

        Assert.Equal(401, (await fixture.GetAsync(fixture.Claude, "/v1/proposals")).Status);
        var cli = await fixture.Broker.AgentCli(fixture.Claude, "dev").With("AGENT_VAULT_DATA_DIR", Path.Combine(fixture.Broker.Process.WorkDir, "agent-has-no-data-dir"))
            .RunAsync("proposal", "approve", id);
        Assert.NotEqual(0, cli.ExitCode);

        // Its own proposal it can read; another agent cannot, and without a token nobody can.
        Assert.Equal(200, (await fixture.GetAsync(fixture.Claude, $"/v1/proposals/{id}")).Status);
        Assert.Equal(404, (await fixture.GetAsync(fixture.Other, $"/v1/proposals/{id}")).Status);
        Assert.Equal(401, (await fixture.GetAsync(null, $"/v1/proposals/{id}")).Status);
        Assert.Equal("pending", (await fixture.GetAsync(fixture.Broker.Process.AdminToken, $"/v1/proposals/{id}")).Body.GetProperty("status").GetString());

        // An agent may only propose for its own vaults.
        var (foreign, _) = await fixture.PostAsync(fixture.Other, "/v1/proposals", new { vault = "dev", message = "let me in", services = new[] { new { name = "x", host = "x.example.com" } } });
        Assert.Equal(404, foreign);
    }

    [Fact]
    public async Task AProposalSendingAnExistingCredentialToANewHost_IsFlaggedLoudly()
    {
        var id = await fixture.ProposeAsync("exfiltrate", ProposalFixture.CollectorHost);

        var view = (await fixture.GetAsync(fixture.Broker.Process.AdminToken, $"/v1/proposals/{id}")).Body;
        var warning = Assert.Single(view.GetProperty("review").GetProperty("warnings").EnumerateArray());
        Assert.Equal("credential_reaches_new_host", warning.GetProperty("code").GetString());
        Assert.Equal(("UPSTREAM_TOKEN", ProposalFixture.CollectorHost), (warning.GetProperty("key").GetString(), warning.GetProperty("host").GetString()));
        Assert.Contains($"sent to only {fixture.Authority} today", warning.GetProperty("message").GetString(), StringComparison.Ordinal);

        var shown = CliAssert.Ok(await fixture.Broker.Process.Cli.RunAsync("proposal", "show", id)).Stdout;
        Assert.Contains($"WARNING: existing credential UPSTREAM_TOKEN (sent to only {fixture.Authority} today) would also be sent to {ProposalFixture.CollectorHost}", shown, StringComparison.Ordinal);

        // A proposal for a narrower part of the host the credential already reaches does not send it anywhere new, but it
        // would take those paths from the existing service (and its rules): that is flagged instead.
        var same = await fixture.ProposeAsync("same-host", fixture.Authority + "/v2/*");
        var sameWarnings = (await fixture.GetAsync(fixture.Broker.Process.AdminToken, $"/v1/proposals/{same}")).Body.GetProperty("review").GetProperty("warnings");
        Assert.Equal(["shadows_service"], sameWarnings.EnumerateArray().Select(w => w.GetProperty("code").GetString()));

        var rejected = CliAssert.Json(await fixture.Broker.Process.Cli.RunAsync("proposal", "reject", id, "--reason", "that host must not get our token", "--json"));
        Assert.Equal(("rejected", "that host must not get our token"), (rejected.GetProperty("status").GetString(), rejected.GetProperty("reason").GetString()));
        var (status, _) = await fixture.PostAsync(fixture.Broker.Process.AdminToken, $"/v1/proposals/{id}/approve", new { });
        Assert.Equal(409, status);
    }

    [Fact]
    public async Task AnInvalidProposal_IsRefusedWhenMade_WithEveryProblem()
    {
        var (status, body) = await fixture.PostAsync(fixture.Claude, "/v1/proposals", new
        {
            vault = "dev",
            message = "",
            services = new object[]
            {
                new { name = "upstream", host = "other.example.com" },
                new { name = "bad-host", host = "10.0.0.1" },
            },
            credentials = new Dictionary<string, object> { ["UPSTREAM_TOKEN"] = new { @ref = "local:mine" }, ["NEW_KEY"] = new { @ref = "nowhere:x" } },
        });

        Assert.Equal((400, "validation_failed"), (status, body.GetProperty("code").GetString()));
        var paths = body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Contains("message", paths);
        Assert.Contains("services[0].name", paths);
        Assert.Contains("credentials.UPSTREAM_TOKEN", paths);
        Assert.Contains("credentials.NEW_KEY", paths);
    }

    [Fact]
    public async Task AProposalMayNameACatalogTemplate_WhoseKeysBecomeCredentialsForAPersonToName()
    {
        var (status, created) = await fixture.PostAsync(fixture.Claude, "/v1/proposals", new
        {
            vault = "dev",
            message = "I need to look up charges.",
            services = new object[] { new { catalog = "stripe", preset = "read-only" } },
        });
        Assert.True(status == 201, created.ToString());

        var view = (await fixture.GetAsync(fixture.Broker.Process.AdminToken, "/v1/proposals/" + created.GetProperty("id").GetString())).Body;
        var service = Assert.Single(view.GetProperty("services").EnumerateArray());
        Assert.Equal(("stripe", "api.stripe.com"), (service.GetProperty("name").GetString(), service.GetProperty("host").GetString()));
        Assert.Equal(["GET /v1/**"], service.GetProperty("rules").GetProperty("allow").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["STRIPE_SECRET_KEY"], view.GetProperty("review").GetProperty("missing_credentials").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("(template stripe)", view.GetProperty("credentials").GetProperty("STRIPE_SECRET_KEY").GetProperty("description").GetString(), StringComparison.Ordinal);

        var (unknown, problem) = await fixture.PostAsync(fixture.Claude, "/v1/proposals", new { vault = "dev", message = "x", services = new object[] { new { catalog = "no-such-template" } } });
        Assert.Equal((400, "services[0]"), (unknown, problem.GetProperty("errors")[0].GetProperty("path").GetString()));
    }
}
