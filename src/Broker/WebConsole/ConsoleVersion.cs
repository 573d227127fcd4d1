using AgentVault.Broker.Server;

namespace AgentVault.Broker.WebConsole;

/// <summary>The broker's version as the console shows it (the assembly's informational version).</summary>
internal static class ConsoleVersion
{
    public static string Text { get; } = BrokerVersion.Informational ?? "unknown";
}
