using System.Collections;
using System.Diagnostics;

namespace AgentVault.Testing.Broker;

/// <summary>
/// Builds the environment of a broker or CLI child process: the test's own environment without any
/// <c>AGENT_VAULT_*</c> setting a developer may have exported (test variables <c>AGENT_VAULT_TEST_*</c> stay), plus overrides.
/// </summary>
internal static class ChildEnvironment
{
    public static void Apply(ProcessStartInfo startInfo, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        startInfo.Environment.Clear();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name.StartsWith("AGENT_VAULT_", StringComparison.Ordinal) && !name.StartsWith("AGENT_VAULT_TEST_", StringComparison.Ordinal))
            {
                continue;
            }

            startInfo.Environment[name] = (string?)entry.Value;
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in overrides)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }
    }
}
