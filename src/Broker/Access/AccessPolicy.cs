using AgentVault.Broker.Model;

namespace AgentVault.Broker.Access;

/// <summary>
/// What a caller may do under the configuration's <c>access:</c> rules (SPEC §14): the admin token is the owner; a person is
/// the owner when an <c>owner</c> rule names their email or one of their groups, else has in each vault the highest role a
/// rule for that vault gives them; an agent has no management rights here (its own routes check its token). Emails compare
/// case-insensitively, groups exactly.
/// </summary>
public static class AccessPolicy
{
    public static bool IsOwner(Caller caller, ConfigDocument config)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(config);
        return caller.Kind switch
        {
            CallerKind.AdminToken => true,
            CallerKind.Person => (config.Access ?? []).Any(r => r.Role == AccessRule.Owner && Matches(r, caller)),
            _ => false,
        };
    }

    /// <summary>The caller's role in <paramref name="vault"/>; the owner is <see cref="VaultRole.Admin"/> everywhere.</summary>
    public static VaultRole RoleIn(Caller caller, ConfigDocument config, string vault)
    {
        if (IsOwner(caller, config))
        {
            return VaultRole.Admin;
        }

        if (caller.Kind != CallerKind.Person)
        {
            return VaultRole.None;
        }

        var best = VaultRole.None;
        foreach (var rule in config.Access ?? [])
        {
            if (rule.Vault == vault && Matches(rule, caller) && Parse(rule.Role) > best)
            {
                best = Parse(rule.Role);
            }
        }

        return best;
    }

    /// <summary>The vaults the caller may at least view; null means every vault (the owner).</summary>
    public static IReadOnlySet<string>? VisibleVaults(Caller caller, ConfigDocument config)
    {
        if (IsOwner(caller, config))
        {
            return null;
        }

        return (config.Vaults ?? []).Select(v => v.Name).Where(v => RoleIn(caller, config, v) >= VaultRole.Viewer).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether the caller holds any right at all: the owner, or any role in a vault (a rule may name a vault not created yet).</summary>
    public static bool IsMember(Caller caller, ConfigDocument config) =>
        IsOwner(caller, config) || (caller.Kind == CallerKind.Person && (config.Access ?? []).Any(r => r.Vault is not null && Parse(r.Role) > VaultRole.None && Matches(r, caller)));

    public static VaultRole Parse(string? role) => role switch
    {
        AccessRule.Admin => VaultRole.Admin,
        AccessRule.Editor => VaultRole.Editor,
        AccessRule.Viewer => VaultRole.Viewer,
        _ => VaultRole.None,
    };

    public static string Name(VaultRole role) => role switch
    {
        VaultRole.Admin => AccessRule.Admin,
        VaultRole.Editor => AccessRule.Editor,
        VaultRole.Viewer => AccessRule.Viewer,
        _ => "none",
    };

    private static bool Matches(AccessRule rule, Caller caller) =>
        (rule.Email is not null && string.Equals(rule.Email, caller.Email, StringComparison.OrdinalIgnoreCase)) ||
        (rule.Group is not null && caller.Groups.Contains(rule.Group, StringComparer.Ordinal));
}
