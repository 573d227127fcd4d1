using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>The proposals table's contract, run against each engine like the rest of <see cref="StorageContractTests"/>.</summary>
public abstract partial class StorageContractTests
{
    [Fact]
    public async Task ProposalInsert_StopsAtTheVaultsPendingLimit_CountingNeitherDecidedNorExpiredOnes()
    {
        await using var storage = await CreateAsync();
        var proposals = storage.Proposals;
        var version = await storage.Config(TimeProvider.System).GetVersionAsync(CancellationToken.None);

        Assert.True(await proposals.TryInsertAsync(Proposal("prp_1", "dev", Now), 2, 5, CancellationToken.None));
        Assert.True(await proposals.TryInsertAsync(Proposal("prp_2", "dev", Now), 2, 5, CancellationToken.None));
        Assert.False(await proposals.TryInsertAsync(Proposal("prp_3", "dev", Now), 2, 5, CancellationToken.None));
        Assert.True(await proposals.TryInsertAsync(Proposal("prp_4", "prod", Now), 2, 5, CancellationToken.None));

        // A decided proposal frees its slot; so does one that has expired by the time of the next insert.
        Assert.True(await proposals.TryDecideAsync("prp_1", ProposalRecord.Rejected, Now, "admin", "not now", CancellationToken.None));
        Assert.True(await proposals.TryInsertAsync(Proposal("prp_5", "dev", Now), 2, 5, CancellationToken.None));
        Assert.True(await proposals.TryInsertAsync(Proposal("prp_6", "dev", Now.AddDays(8)), 2, 5, CancellationToken.None));

        Assert.Equal(["prp_6", "prp_1", "prp_2", "prp_5"], (await proposals.ListAsync("dev", 10, CancellationToken.None)).Select(p => p.Id));
        Assert.Equal(5, (await proposals.ListAsync(null, 10, CancellationToken.None)).Count);
        Assert.Equal(version, await storage.Config(TimeProvider.System).GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ProposalDecide_WinsOnceAndNeverAfterExpiry()
    {
        await using var storage = await CreateAsync();
        var proposals = storage.Proposals;
        await proposals.TryInsertAsync(Proposal("prp_a", "dev", Now), 20, 5, CancellationToken.None);
        await proposals.TryInsertAsync(Proposal("prp_b", "dev", Now), 20, 5, CancellationToken.None);

        Assert.True(await proposals.TryDecideAsync("prp_a", ProposalRecord.Approved, Now.AddMinutes(1), "admin", null, CancellationToken.None));
        Assert.False(await proposals.TryDecideAsync("prp_a", ProposalRecord.Rejected, Now.AddMinutes(2), "admin", "late", CancellationToken.None));
        Assert.False(await proposals.TryDecideAsync("prp_b", ProposalRecord.Approved, Now.AddDays(7), "admin", null, CancellationToken.None));
        Assert.False(await proposals.TryDecideAsync("prp_unknown", ProposalRecord.Approved, Now, "admin", null, CancellationToken.None));

        var a = await proposals.GetAsync("prp_a", CancellationToken.None);
        Assert.Equal((ProposalRecord.Approved, "admin", (string?)null, Now.AddMinutes(1)), (a!.Status, a.DecidedBy, a.Reason, a.DecidedAt!.Value));
        Assert.Equal("{\"services\":[]}", a.Changes);
        Assert.True(await proposals.UndoApprovalAsync("prp_a", CancellationToken.None));
        Assert.False(await proposals.UndoApprovalAsync("prp_a", CancellationToken.None));
        Assert.Equal((ProposalRecord.Pending, (string?)null), ((await proposals.GetAsync("prp_a", CancellationToken.None))!.Status, (await proposals.GetAsync("prp_a", CancellationToken.None))!.DecidedBy));
        var b = await proposals.GetAsync("prp_b", CancellationToken.None);
        Assert.Equal((ProposalRecord.Pending, ProposalRecord.Expired), (b!.Status, b.StatusAt(Now.AddDays(7))));
        Assert.Null(await proposals.GetAsync("prp_unknown", CancellationToken.None));
    }

    [Fact]
    public async Task ProposalInsert_StopsAtTheAgentsPendingLimitInAVault()
    {
        await using var storage = await CreateAsync();
        var proposals = storage.Proposals;

        Assert.True(await proposals.TryInsertAsync(Proposal("prp_1", "dev", Now), 20, 2, CancellationToken.None));
        Assert.True(await proposals.TryInsertAsync(Proposal("prp_2", "dev", Now), 20, 2, CancellationToken.None));
        Assert.False(await proposals.TryInsertAsync(Proposal("prp_3", "dev", Now), 20, 2, CancellationToken.None));
        Assert.True(await proposals.TryInsertAsync(Proposal("prp_4", "dev", Now, "other"), 20, 2, CancellationToken.None));
        Assert.True(await proposals.TryInsertAsync(Proposal("prp_5", "prod", Now), 20, 2, CancellationToken.None));
    }

    private static ProposalRecord Proposal(string id, string vault, DateTimeOffset created, string agent = "claude") => new()
    {
        Id = id,
        Vault = vault,
        Agent = agent,
        Status = ProposalRecord.Pending,
        Message = "needs stripe",
        Changes = "{\"services\":[]}",
        CreatedAt = created,
        ExpiresAt = created.AddDays(7),
    };
}
