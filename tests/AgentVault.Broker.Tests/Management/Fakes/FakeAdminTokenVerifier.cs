using AgentVault.Broker.Security;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Accepts exactly one admin token.</summary>
internal sealed class FakeAdminTokenVerifier(string token) : IAdminTokenVerifier
{
    public bool Verify(string? presentedToken) => presentedToken is not null && TokenHasher.FixedTimeEquals(presentedToken, token);
}
