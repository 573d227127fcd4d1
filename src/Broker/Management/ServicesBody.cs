using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Body of <c>PUT /v1/vaults/{v}/services</c> (also the shape of a services-only file).</summary>
internal sealed record ServicesBody
{
    public List<ServiceDefinition>? Services { get; init; }
}
