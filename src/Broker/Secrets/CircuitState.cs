namespace AgentVault.Broker.Secrets;

/// <summary>The state of a store's circuit breaker (<c>closed</c>, <c>open</c>, <c>half_open</c> in the API).</summary>
internal enum CircuitState
{
    /// <summary>Reads go to the store.</summary>
    Closed,

    /// <summary>The store failed repeatedly; it is not contacted until the cool-down ends.</summary>
    Open,

    /// <summary>The cool-down has ended: the next read (one probe) decides whether the circuit closes or opens again.</summary>
    HalfOpen,
}
