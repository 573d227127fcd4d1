using System.Reflection;

namespace AgentVault.Broker.Server;

/// <summary>The broker's informational version (<c>1.2.3</c>, or <c>1.2.3+&lt;commit&gt;</c> for a build from a git checkout), as stamped at build time.</summary>
internal static class BrokerVersion
{
    /// <summary>Null only for a build without the attribute.</summary>
    public static string? Informational { get; } =
        typeof(BrokerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
}
