namespace AgentVault.Broker.Policy;

/// <summary>The guard's answer for one address.</summary>
/// <param name="Allowed">True when the broker may dial the address.</param>
/// <param name="Category">The address's category (the reason when refused).</param>
internal readonly record struct NetworkGuardVerdict(bool Allowed, AddressCategory Category);
