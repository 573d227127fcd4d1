using System.Diagnostics;

namespace AgentVault.Functional.Tests.Docs;

/// <summary>The environment of a reader's terminal: none of the test run's own <c>AGENT_VAULT_*</c> settings, then the given variables.</summary>
internal static class ReaderEnvironment
{
    public static void Apply(ProcessStartInfo start, IReadOnlyDictionary<string, string?> environment)
    {
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AGENT_VAULT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
    }
}
