using AgentVault.Broker.Model;
using AgentVault.Broker.Security;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Storage;

public sealed class SqliteTokenRepositoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static TokenRecord Token(string id, string agent, string kind = "agent", string? vault = null) => new()
    {
        Id = id,
        Hash = TokenHasher.Hash(TokenGenerator.NewProxyToken()),
        Agent = agent,
        Kind = kind,
        Vault = vault,
        Label = kind == "scoped" ? "sandbox" : null,
        CreatedAt = Now,
        ExpiresAt = kind == "scoped" ? Now.AddMinutes(15) : null,
    };

    [Fact]
    public async Task InsertThenList_RoundTripsEveryField()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteTokenRepository(db.Database);
        var agentToken = Token("tok_a", "claude");
        var scopedToken = Token("tok_b", "claude", "scoped", "dev");

        await repository.InsertAsync(agentToken, CancellationToken.None);
        await repository.InsertAsync(scopedToken, CancellationToken.None);

        var listed = await repository.ListAsync(CancellationToken.None);
        Assert.Equal([agentToken, scopedToken], listed.OrderBy(t => t.Id));
    }

    [Fact]
    public async Task Revoke_MarksOneTokenAndReportsUnknownIds()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteTokenRepository(db.Database);
        await repository.InsertAsync(Token("tok_a", "claude"), CancellationToken.None);
        await repository.InsertAsync(Token("tok_b", "claude"), CancellationToken.None);

        Assert.True(await repository.RevokeAsync("tok_a", Now.AddHours(1), CancellationToken.None));
        Assert.True(await repository.RevokeAsync("tok_a", Now.AddHours(2), CancellationToken.None));
        Assert.False(await repository.RevokeAsync("tok_missing", Now, CancellationToken.None));

        var listed = (await repository.ListAsync(CancellationToken.None)).ToDictionary(t => t.Id);
        Assert.Equal(Now.AddHours(1), listed["tok_a"].RevokedAt);
        Assert.Null(listed["tok_b"].RevokedAt);
    }

    [Fact]
    public async Task RevokeAgentTokens_RevokesOnlyThatAgentsLiveTokens()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteTokenRepository(db.Database);
        await repository.InsertAsync(Token("tok_a", "claude"), CancellationToken.None);
        await repository.InsertAsync(Token("tok_b", "claude", "scoped", "dev"), CancellationToken.None);
        await repository.InsertAsync(Token("tok_c", "aider"), CancellationToken.None);
        await repository.RevokeAsync("tok_b", Now, CancellationToken.None);

        var revoked = await repository.RevokeAgentTokensAsync("claude", Now.AddMinutes(5), CancellationToken.None);

        Assert.Equal(1, revoked);
        var listed = (await repository.ListAsync(CancellationToken.None)).ToDictionary(t => t.Id);
        Assert.Equal(Now.AddMinutes(5), listed["tok_a"].RevokedAt);
        Assert.Equal(Now, listed["tok_b"].RevokedAt);
        Assert.Null(listed["tok_c"].RevokedAt);
    }

    [Fact]
    public async Task TokenWrites_BumpTheChangeVersion()
    {
        using var db = await TestDatabase.CreateAsync();
        var tokens = new SqliteTokenRepository(db.Database);
        var config = new SqliteConfigRepository(db.Database, TimeProvider.System);

        await tokens.InsertAsync(Token("tok_a", "claude"), CancellationToken.None);
        var afterInsert = await config.GetVersionAsync(CancellationToken.None);
        await tokens.RevokeAsync("tok_a", Now, CancellationToken.None);
        var afterRevoke = await config.GetVersionAsync(CancellationToken.None);
        await tokens.RevokeAsync("tok_missing", Now, CancellationToken.None);

        Assert.Equal(1, afterInsert);
        Assert.Equal(2, afterRevoke);
        Assert.Equal(2, await config.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DuplicateHash_IsRejected()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteTokenRepository(db.Database);
        var token = Token("tok_a", "claude");
        await repository.InsertAsync(token, CancellationToken.None);

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => repository.InsertAsync(token with { Id = "tok_other" }, CancellationToken.None));
    }
}
