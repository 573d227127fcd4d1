namespace AgentVault.Broker.Model;

/// <summary>
/// The outcome of a compare-and-swap save: <see cref="Saved"/> with the new configuration version, or refused because
/// another writer got there first, with the version the configuration is at now.
/// </summary>
public readonly record struct ConfigSaveResult(bool Saved, long Version);
