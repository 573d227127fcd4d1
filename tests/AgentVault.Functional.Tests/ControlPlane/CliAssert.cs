using System.Text.Json;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>Assertions on CLI results that print the whole invocation when they fail.</summary>
internal static class CliAssert
{
    public static CliResult Ok(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public static CliResult Failed(CliResult result, int exitCode = 1)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}\n{result}");
        return result;
    }

    public static JsonElement Json(CliResult result)
    {
        Ok(result);
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }
}
