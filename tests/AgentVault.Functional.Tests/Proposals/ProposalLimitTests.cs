namespace AgentVault.Functional.Tests.Proposals;

/// <summary>At most 20 pending proposals per vault (SPEC §12): the 21st is 429 <c>too_many_pending</c>; a decision frees a slot.</summary>
public sealed class ProposalLimitTests : IClassFixture<ProposalFixture>
{
    private readonly ProposalFixture _fixture;

    public ProposalLimitTests(ProposalFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task TheTwentyFirstPendingProposal_Is429_UntilOneIsDecided()
    {
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await _fixture.ProposeAsync($"limit-{i}", $"limit-{i}.example.com"));
        }

        var (status, body) = await _fixture.PostAsync(_fixture.Claude, "/v1/proposals",
            ProposalFixture.Proposal("limit-20", "limit-20.example.com"));
        Assert.Equal((429, "too_many_pending"), (status, body.GetProperty("code").GetString()));

        Assert.Equal(200, (await _fixture.PostAsync(_fixture.Broker.Process.AdminToken, $"/v1/proposals/{ids[0]}/reject", new { reason = "no" })).Status);
        Assert.Equal(201, (await _fixture.PostAsync(_fixture.Claude, "/v1/proposals",
            ProposalFixture.Proposal("limit-20", "limit-20.example.com"))).Status);
    }
}
