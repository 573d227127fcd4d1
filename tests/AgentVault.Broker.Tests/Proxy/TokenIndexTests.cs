using AgentVault.Broker.Model;
using AgentVault.Broker.Snapshots;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// The token index is built from one snapshot and leaves out scoped tokens no longer bound to their grant, whether or not the
/// revocation was recorded in the database (another instance's write, a token minted while the grant was being removed).
/// </summary>
public sealed class TokenIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly TokenRecord Minter = Token("tok_minter", "minter", TokenRecord.AgentKind, null, null, null);

    [Theory]
    [InlineData("bound", "vlt_dev", "tok_minter", true, true, true)]
    [InlineData("admin-minted", "vlt_dev", null, false, false, true)]
    [InlineData("vault created again (other id)", "vlt_old", "tok_minter", true, true, false)]
    [InlineData("vault id missing (vault gone before the upgrade)", null, null, true, true, false)]
    [InlineData("agent lost the vault", "vlt_dev", "tok_minter", false, true, false)]
    [InlineData("agent lost can_mint", "vlt_dev", "tok_minter", true, false, false)]
    [InlineData("minting token unknown", "vlt_dev", "tok_other", true, true, false)]
    public void ScopedToken_IsIndexedOnlyWhileBoundToItsVaultAndGrant(string scenario, string? vaultId, string? mintedBy, bool agentHasVault, bool canMint, bool indexed)
    {
        var scoped = Token("tok_scoped", "minter", TokenRecord.ScopedKind, "dev", vaultId, mintedBy);
        var config = new ConfigDocument
        {
            Vaults = [new VaultDefinition { Name = "dev", Id = "vlt_dev" }, new VaultDefinition { Name = "other", Id = "vlt_other" }],
            Agents = [new AgentDefinition { Name = "minter", Vaults = agentHasVault ? ["dev", "other"] : ["other"], CanMint = canMint }],
        };

        var index = TokenIndex.Build(new ConfigState(1, config, [Minter, scoped]));

        Assert.True(indexed == (index.Find(scoped.Hash) is not null), scenario);
        Assert.NotNull(index.Find(Minter.Hash));
    }

    [Fact]
    public void MintingTokenRevoked_ScopedTokenIsNotIndexed()
    {
        var scoped = Token("tok_scoped", "minter", TokenRecord.ScopedKind, "dev", "vlt_dev", "tok_minter");
        var config = new ConfigDocument
        {
            Vaults = [new VaultDefinition { Name = "dev", Id = "vlt_dev" }],
            Agents = [new AgentDefinition { Name = "minter", Vaults = ["dev"], CanMint = true }],
        };

        var index = TokenIndex.Build(new ConfigState(1, config, [Minter with { RevokedAt = Now }, scoped]));

        Assert.Null(index.Find(scoped.Hash));
    }

    private static TokenRecord Token(string id, string agent, string kind, string? vault, string? vaultId, string? mintedBy) => new()
    {
        Id = id,
        Hash = "hash-" + id,
        Agent = agent,
        Kind = kind,
        Vault = vault,
        VaultId = vaultId,
        MintedBy = mintedBy,
        CreatedAt = Now,
    };
}
