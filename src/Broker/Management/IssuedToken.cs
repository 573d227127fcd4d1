using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>A freshly created proxy token: the stored record and the token itself, shown once; <see cref="ToString"/> hides the token.</summary>
internal sealed record IssuedToken(TokenRecord Record, string Token)
{
    public override string ToString() => $"IssuedToken {{ Id = {Record.Id}, Agent = {Record.Agent} }}";
}
