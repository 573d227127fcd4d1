using System.Reflection;

namespace AgentVault.Testing.Broker;

/// <summary>Where the repository and the built broker are: the repo root is found by walking up to AgentVault.sln (or AGENT_VAULT_TEST_ROOT).</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding AgentVault.sln).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>Debug or Release: the configuration this test assembly was built with, so the broker of the same build is used.</summary>
    public static string Configuration { get; } =
        typeof(TestPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The broker's output folder (<c>src/Broker/bin/&lt;Configuration&gt;/net10.0</c>), which also holds <c>plugins/</c>.</summary>
    public static string BrokerDirectory => Path.Combine(RepoRoot, "src", "Broker", "bin", Configuration, "net10.0");

    /// <summary>The broker executable as a framework-dependent dll, run with <see cref="DotnetHost"/>.</summary>
    public static string BrokerDll
    {
        get
        {
            var dll = Path.Combine(BrokerDirectory, "agent-vault.dll");
            return File.Exists(dll)
                ? dll
                : throw new InvalidOperationException($"{dll} does not exist: build the broker first (dotnet build src/Broker -c {Configuration})");
        }
    }

    /// <summary>The plugins folder next to the built broker.</summary>
    public static string BrokerPluginsDirectory => Path.Combine(BrokerDirectory, "plugins");

    /// <summary>The <c>dotnet</c> host running the tests (DOTNET_HOST_PATH when set by the SDK), else <c>dotnet</c> from PATH.</summary>
    public static string DotnetHost
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var current = Environment.ProcessPath;
            return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }

    private static string FindRepoRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_ROOT");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "AgentVault.sln")))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentVault.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"cannot find AgentVault.sln above {AppContext.BaseDirectory}; set AGENT_VAULT_TEST_ROOT");
    }
}
