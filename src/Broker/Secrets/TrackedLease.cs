using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>A lease the broker holds on a dynamic secret of a store, revoked on shutdown or when its store goes away.</summary>
internal sealed record TrackedLease(string Store, string Path, SecretLease Lease);
