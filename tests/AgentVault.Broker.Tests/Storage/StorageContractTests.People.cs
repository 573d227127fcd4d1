using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>The sessions and audit tables' contract (SPEC §14), run against each engine like the rest of <see cref="StorageContractTests"/>.</summary>
public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Sessions_AreFoundByHash_EndOnce_AndListOnlyWhileLive()
    {
        await using var storage = await CreateAsync();
        var sessions = storage.Sessions;
        await sessions.InsertAsync(Session("ses_a", "hash-a", "alice@example.com", Now), CancellationToken.None);
        await sessions.InsertAsync(Session("ses_b", "hash-b", "alice@example.com", Now.AddMinutes(1)), CancellationToken.None);
        await sessions.InsertAsync(Session("ses_c", "hash-c", "bob@example.com", Now.AddMinutes(2)), CancellationToken.None);

        var found = await sessions.FindAsync("hash-a", CancellationToken.None);
        Assert.Equal(("ses_a", "alice@example.com", SessionRecord.Cli, Now, (DateTimeOffset?)null), (found!.Id, found.Email, found.Kind, found.CreatedAt, found.EndedAt));
        Assert.Equal(["ops", "dev team"], found.Groups);
        Assert.Null(await sessions.FindAsync("hash-unknown", CancellationToken.None));

        await sessions.TouchAsync("hash-a", Now.AddMinutes(5), CancellationToken.None);
        Assert.Equal(Now.AddMinutes(5), (await sessions.FindAsync("hash-a", CancellationToken.None))!.LastSeenAt);

        Assert.True(await sessions.EndByHashAsync("hash-a", Now.AddMinutes(6), CancellationToken.None));
        Assert.False(await sessions.EndByHashAsync("hash-a", Now.AddMinutes(7), CancellationToken.None));
        Assert.Equal(Now.AddMinutes(6), (await sessions.FindAsync("hash-a", CancellationToken.None))!.EndedAt);
        Assert.True(await sessions.EndByIdAsync("ses_c", Now.AddMinutes(6), CancellationToken.None));
        Assert.False(await sessions.EndByIdAsync("ses_unknown", Now, CancellationToken.None));

        Assert.Equal(["ses_b"], (await sessions.ListLiveAsync(Now.AddMinutes(10), 10, CancellationToken.None)).Select(s => s.Id));
        Assert.Empty(await sessions.ListLiveAsync(Now.AddHours(13), 10, CancellationToken.None));
        Assert.Equal(1, await sessions.EndAllOfAsync("alice@example.com", Now.AddMinutes(11), CancellationToken.None));

        Assert.Equal(3, await sessions.PurgeAsync(Now.AddDays(1), CancellationToken.None));
        Assert.Null(await sessions.FindAsync("hash-b", CancellationToken.None));
    }

    [Fact]
    public async Task Audit_AppendsWithAscendingIds_FiltersAndTrims()
    {
        await using var storage = await CreateAsync();
        var audit = storage.Audit;
        var first = await audit.AppendAsync(Entry("alice@example.com", "service.put", "dev"), CancellationToken.None);
        var second = await audit.AppendAsync(Entry("admin-token", "proposal.approve", "prod"), CancellationToken.None);
        var third = await audit.AppendAsync(Entry("agent:claude", "proposal.create", "dev"), CancellationToken.None);
        await audit.AppendAsync(Entry("admin-token", "store.put", null), CancellationToken.None);

        Assert.True(first.Id > 0 && second.Id > first.Id && third.Id > second.Id);
        var newestFirst = await audit.QueryAsync(new AuditQuery(), CancellationToken.None);
        Assert.Equal(["store.put", "proposal.create", "proposal.approve", "service.put"], newestFirst.Select(e => e.Action));
        Assert.Equal((Now, "vaults/dev/x", "one line"), (newestFirst[3].Time, newestFirst[3].Target, newestFirst[3].Summary));

        Assert.Equal(["proposal.approve", "proposal.create", "store.put"], (await audit.QueryAsync(new AuditQuery { After = first.Id }, CancellationToken.None)).Select(e => e.Action));
        Assert.Equal(["proposal.create", "proposal.approve"], (await audit.QueryAsync(new AuditQuery { Action = "proposal." }, CancellationToken.None)).Select(e => e.Action));
        Assert.Equal(["store.put", "proposal.approve"], (await audit.QueryAsync(new AuditQuery { Actor = "admin-token" }, CancellationToken.None)).Select(e => e.Action));
        Assert.Equal(["proposal.create", "service.put"], (await audit.QueryAsync(new AuditQuery { Vaults = ["dev"] }, CancellationToken.None)).Select(e => e.Action));
        Assert.Empty(await audit.QueryAsync(new AuditQuery { Vaults = [] }, CancellationToken.None));
        Assert.Equal(["service.put"], (await audit.QueryAsync(new AuditQuery { Vault = "dev", Before = third.Id }, CancellationToken.None)).Select(e => e.Action));
        Assert.Single(await audit.QueryAsync(new AuditQuery { Limit = 1 }, CancellationToken.None));

        await audit.TrimAsync(2, CancellationToken.None);
        Assert.Equal(["store.put", "proposal.create"], (await audit.QueryAsync(new AuditQuery(), CancellationToken.None)).Select(e => e.Action));
    }

    private static SessionRecord Session(string id, string hash, string email, DateTimeOffset at) => new()
    {
        Id = id,
        TokenHash = hash,
        Kind = SessionRecord.Cli,
        Actor = email,
        Email = email,
        Groups = ["ops", "dev team"],
        CreatedAt = at,
        ExpiresAt = at.AddHours(12),
        LastSeenAt = at,
    };

    private static AuditEntry Entry(string actor, string action, string? vault) =>
        new() { Time = Now, Actor = actor, Action = action, Target = $"vaults/{vault}/x", Vault = vault, Summary = "one line" };
}
