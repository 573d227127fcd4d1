using AgentVault.Testing.Broker;

namespace AgentVault.Testing.Fakes.Moto;

/// <summary>Finds the test tools that <c>scripts/deps</c> installs, from the environment or under the repository root.</summary>
internal static class TestToolPaths
{
    /// <summary>The folder to put on PYTHONPATH for moto (installed by <c>scripts/deps/30-moto.sh</c>).</summary>
    public static string MotoPythonPath()
    {
        var path = Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_MOTO_PATH") is { Length: > 0 } configured
            ? configured
            : Path.Combine(TestPaths.RepoRoot, ".ci", "work", "moto", "root", "usr", "lib", "python3", "dist-packages");
        if (!Directory.Exists(Path.Combine(path, "moto")))
        {
            throw new InvalidOperationException($"moto is not installed at {path}; run scripts/deps/30-moto.sh.");
        }

        return path;
    }
}
