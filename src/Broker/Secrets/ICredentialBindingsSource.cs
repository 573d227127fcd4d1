namespace AgentVault.Broker.Secrets;

/// <summary>Where the resolver reads the credential bindings of the current configuration (the published runtime snapshot).</summary>
internal interface ICredentialBindingsSource
{
    /// <summary>The bindings of the configuration version the request path currently sees (a volatile read; never null).</summary>
    CredentialBindings Bindings { get; }
}
