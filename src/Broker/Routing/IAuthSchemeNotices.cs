namespace AgentVault.Broker.Routing;

/// <summary>Notices of the live auth scheme instances of a vault (<see cref="Abstractions.Auth.IAuthSchemeStatus"/>), for <c>credential check</c>.</summary>
internal interface IAuthSchemeNotices
{
    /// <summary>Every notice of the vault's services, in service order; empty for an unknown vault.</summary>
    IReadOnlyList<ServiceNotice> ForVault(string vault);
}
