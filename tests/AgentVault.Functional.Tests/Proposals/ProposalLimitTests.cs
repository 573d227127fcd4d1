namespace AgentVault.Functional.Tests.Proposals;

/// <summary>
/// At most 20 pending proposals per vault (SPEC §12) and 5 per agent there (so one agent cannot take every slot): beyond
/// either, 429 <c>too_many_pending</c>; a decision frees a slot.
/// </summary>
public sealed class ProposalLimitTests : IClassFixture<ProposalFixture>
{
    private readonly ProposalFixture _fixture;

    public ProposalLimitTests(ProposalFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task AVaultTakesTwentyPendingProposals_AnAgentFive_ThenItIs429_UntilOneIsDecided()
    {
        var agents = new List<string> { _fixture.Claude };
        for (var i = 1; i <= 4; i++)
        {
            agents.Add(await _fixture.Broker.CreateAgentAsync($"limit-agent-{i}", "dev"));
        }

        var first = new List<string>();
        for (var a = 0; a < 4; a++)
        {
            for (var i = 0; i < 5; i++)
            {
                var (status, body) = await _fixture.PostAsync(agents[a], "/v1/proposals", ProposalFixture.Proposal($"limit-{a}-{i}", $"limit-{a}-{i}.example.com"));
                Assert.True(status == 201, $"{status}: {body}");
                first.Add(body.GetProperty("id").GetString()!);
            }

            if (a == 0)
            {
                // Five pending in the vault, all of this agent's: its sixth is refused, the vault is far from full.
                var agentFull = await _fixture.PostAsync(agents[0], "/v1/proposals", ProposalFixture.Proposal("limit-0-5", "limit-0-5.example.com"));
                Assert.Equal((429, "too_many_pending"), (agentFull.Status, agentFull.Body.GetProperty("code").GetString()));
            }
        }

        var vaultFull = await _fixture.PostAsync(agents[4], "/v1/proposals", ProposalFixture.Proposal("limit-4-0", "limit-4-0.example.com"));
        Assert.Equal((429, "too_many_pending"), (vaultFull.Status, vaultFull.Body.GetProperty("code").GetString()));

        Assert.Equal(200, (await _fixture.PostAsync(_fixture.Broker.Process.AdminToken, $"/v1/proposals/{first[5]}/reject", new { reason = "no" })).Status);
        Assert.Equal(201, (await _fixture.PostAsync(agents[4], "/v1/proposals", ProposalFixture.Proposal("limit-4-0", "limit-4-0.example.com"))).Status);
    }
}
