using AgentVault.Broker.Access;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Access;

public sealed class AccessPolicyTests
{
    private static readonly ConfigDocument Config = new()
    {
        Vaults = [new VaultDefinition { Name = "dev" }, new VaultDefinition { Name = "prod" }, new VaultDefinition { Name = "ops" }],
        Access =
        [
            new AccessRule { Email = "Owner@Example.com", Role = AccessRule.Owner },
            new AccessRule { Group = "platform", Role = AccessRule.Owner },
            new AccessRule { Email = "dana@example.com", Vault = "dev", Role = AccessRule.Viewer },
            new AccessRule { Group = "dev-team", Vault = "dev", Role = AccessRule.Editor },
            new AccessRule { Email = "dana@example.com", Vault = "dev", Role = AccessRule.Admin },
            new AccessRule { Email = "vic@example.com", Vault = "prod", Role = AccessRule.Viewer },
            new AccessRule { Email = "future@example.com", Vault = "not-yet", Role = AccessRule.Admin },
        ],
    };

    [Theory]
    [InlineData("owner@example.com", "", true)]
    [InlineData("someone@example.com", "platform", true)]
    [InlineData("someone@example.com", "Platform", false)]
    [InlineData("dana@example.com", "", false)]
    public void Owner_ByEmailIgnoringCase_OrByExactGroup(string email, string group, bool owner) =>
        Assert.Equal(owner, AccessPolicy.IsOwner(Person(email, group), Config));

    [Theory]
    [InlineData("dana@example.com", "", "dev", VaultRole.Admin)]
    [InlineData("dana@example.com", "", "prod", VaultRole.None)]
    [InlineData("eve@example.com", "dev-team", "dev", VaultRole.Editor)]
    [InlineData("vic@example.com", "dev-team", "prod", VaultRole.Viewer)]
    [InlineData("owner@example.com", "", "ops", VaultRole.Admin)]
    [InlineData("nobody@example.com", "", "dev", VaultRole.None)]
    public void RoleIn_IsTheHighestRoleAnyMatchingRuleGives(string email, string group, string vault, VaultRole role) =>
        Assert.Equal(role, AccessPolicy.RoleIn(Person(email, group), Config, vault));

    [Fact]
    public void VisibleVaults_AreAllForTheOwner_AndTheGrantedOnesForOthers()
    {
        Assert.Null(AccessPolicy.VisibleVaults(Caller.AdminToken, Config));
        Assert.Equal(["dev", "prod"], AccessPolicy.VisibleVaults(Person("vic@example.com", "dev-team"), Config)!.Order(StringComparer.Ordinal));
        Assert.Empty(AccessPolicy.VisibleVaults(Person("nobody@example.com", ""), Config)!);
    }

    [Fact]
    public void Membership_CountsAnyRole_EvenInAVaultNotCreatedYet_ButNeverAnAgent()
    {
        Assert.True(AccessPolicy.IsMember(Person("future@example.com", ""), Config));
        Assert.False(AccessPolicy.IsMember(Person("nobody@example.com", ""), Config));
        Assert.False(AccessPolicy.IsMember(Caller.Agent("owner@example.com"), Config));
        Assert.Equal(VaultRole.None, AccessPolicy.RoleIn(Caller.Agent("claude"), Config, "dev"));
    }

    [Fact]
    public void WithoutAccessRules_OnlyTheAdminTokenHasRights()
    {
        var bare = Config with { Access = null };
        Assert.True(AccessPolicy.IsOwner(Caller.AdminToken, bare));
        Assert.False(AccessPolicy.IsMember(Person("owner@example.com", "platform"), bare));
    }

    private static Caller Person(string email, string group) =>
        new(CallerKind.Person, email.ToLowerInvariant(), group.Length == 0 ? [] : [group], "ses_test");
}
