namespace AgentVault.Testing.Fakes.Moto;

/// <summary>Finds the test tools that <c>scripts/deps</c> installs, from the environment or from the repository root.</summary>
internal static class TestToolPaths
{
    /// <summary>The repository root: <c>AGENT_VAULT_TEST_ROOT</c>, else the first parent folder holding <c>AgentVault.sln</c>.</summary>
    public static string RepositoryRoot()
    {
        if (Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentVault.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (AgentVault.sln); set AGENT_VAULT_TEST_ROOT.");
    }

    /// <summary>The folder to put on PYTHONPATH for moto (installed by <c>scripts/deps/30-moto.sh</c>).</summary>
    public static string MotoPythonPath()
    {
        var path = Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_MOTO_PATH") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), ".ci", "work", "moto", "root", "usr", "lib", "python3", "dist-packages");
        if (!Directory.Exists(Path.Combine(path, "moto")))
        {
            throw new InvalidOperationException($"moto is not installed at {path}; run scripts/deps/30-moto.sh.");
        }

        return path;
    }
}
