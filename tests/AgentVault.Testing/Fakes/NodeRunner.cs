using System.Diagnostics;
using System.Text;

namespace AgentVault.Testing.Fakes;

/// <summary>Runs a Node.js script with the repository's test tools (<c>tests/node/node_modules</c>) on <c>NODE_PATH</c>.</summary>
public static class NodeRunner
{
    /// <summary>The <c>node_modules</c> folder: <c>AGENT_VAULT_TEST_NODE_MODULES</c>, else found from the repository root.</summary>
    public static string NodeModules =>
        Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_NODE_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot, "tests", "node", "node_modules");

    /// <summary><c>AGENT_VAULT_TEST_ROOT</c>, else the first folder above the test binaries that holds <c>AgentVault.sln</c>.</summary>
    public static string RepositoryRoot
    {
        get
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

            throw new InvalidOperationException("cannot find the repository root (AgentVault.sln) above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Runs <paramref name="scriptPath"/>; returns stdout; throws with stderr when it exits non-zero or outlives <paramref name="timeout"/>.</summary>
    public static async Task<string> RunAsync(string scriptPath, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(NodeModules))
        {
            throw new InvalidOperationException($"node modules not found at {NodeModules}: run scripts/deps/20-node.sh (npm ci in tests/node) or set AGENT_VAULT_TEST_NODE_MODULES");
        }

        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(scriptPath);
        info.Environment["NODE_PATH"] = NodeModules;
        info.Environment.Remove("HTTP_PROXY");
        info.Environment.Remove("HTTPS_PROXY");
        info.Environment.Remove("http_proxy");
        info.Environment.Remove("https_proxy");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start node");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {Path.GetFileName(scriptPath)} did not finish within {timeout}: {stderr}");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {Path.GetFileName(scriptPath)} exited with {process.ExitCode}: {stderr}{stdout}");
        }

        return stdout.ToString();
    }
}
