using AgentVault.Broker.Access;

namespace AgentVault.Broker.Management;

/// <summary>
/// The right a management route needs (endpoint metadata, read by <see cref="AccessFilter"/>). A route without one needs the
/// owner: new routes are closed until someone decides who may use them.
/// </summary>
internal sealed record AccessNeed(AccessLevel Level, VaultRole Role = VaultRole.None, string? VaultRouteValue = null)
{
    public static AccessNeed Owner { get; } = new(AccessLevel.Owner);

    /// <summary>Anyone with a role anywhere; the handler shows only what the caller may see.</summary>
    public static AccessNeed Member { get; } = new(AccessLevel.Member);

    /// <summary>The handler decides, from the resource (e.g. the vault of a proposal), through <see cref="VaultAccess"/>.</summary>
    public static AccessNeed Handler { get; } = new(AccessLevel.Handler);

    /// <summary><paramref name="role"/> in the vault named by the route value <paramref name="routeValue"/>.</summary>
    public static AccessNeed Vault(VaultRole role, string routeValue = "vault") => new(AccessLevel.Vault, role, routeValue);
}

/// <summary>How <see cref="AccessNeed"/> is checked.</summary>
internal enum AccessLevel
{
    Owner,
    Member,
    Vault,
    Handler,
}

/// <summary>Declares the right a route needs.</summary>
internal static class AccessNeedExtensions
{
    public static TBuilder Needs<TBuilder>(this TBuilder builder, AccessNeed need) where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(need);
}
