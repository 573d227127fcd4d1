using AgentVault.Broker.Access;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Per-vault checks for handlers that learn the vault from the resource (a proposal's, an agent's, a held request's).</summary>
internal static class VaultAccess
{
    /// <summary>Why the caller may not act with <paramref name="role"/> in <paramref name="vault"/>, or null when it may.</summary>
    public static string? Refusal(Caller caller, ConfigDocument config, string vault, VaultRole role)
    {
        var has = AccessPolicy.RoleIn(caller, config, vault);
        return has >= role ? null : $"this needs the {AccessPolicy.Name(role)} role in vault '{vault}' (you have {(has == VaultRole.None ? "no role there" : AccessPolicy.Name(has))})";
    }

    /// <summary>403 <c>forbidden</c> when the admitted caller lacks <paramref name="role"/> in <paramref name="vault"/>; null when allowed.</summary>
    public static IResult? Check(HttpContext http, ConfigDocument config, string vault, VaultRole role) =>
        Refusal(CallerResolver.Admitted(http), config, vault, role) is { } refusal ? ProblemResults.Forbidden(refusal) : null;

    /// <summary>
    /// 403 unless the admitted caller has <paramref name="role"/> in every one of <paramref name="vaults"/> (an agent is managed
    /// by the admins of all its vaults); with no vault at all, only the owner may.
    /// </summary>
    public static IResult? CheckAll(HttpContext http, ConfigDocument config, IReadOnlyCollection<string>? vaults, VaultRole role)
    {
        var caller = CallerResolver.Admitted(http);
        if (vaults is null || vaults.Count == 0)
        {
            return AccessPolicy.IsOwner(caller, config) ? null : ProblemResults.Forbidden("this needs the owner role (the agent has no vault)");
        }

        return vaults.Select(v => Check(http, config, v, role)).FirstOrDefault(p => p is not null);
    }

    /// <summary>Whether the admitted caller may view <paramref name="vault"/>.</summary>
    public static bool CanView(HttpContext http, ConfigDocument config, string? vault) =>
        vault is null ? AccessPolicy.IsOwner(CallerResolver.Admitted(http), config) : AccessPolicy.RoleIn(CallerResolver.Admitted(http), config, vault) >= VaultRole.Viewer;
}
