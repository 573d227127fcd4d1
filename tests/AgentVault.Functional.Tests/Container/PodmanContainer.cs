using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Container;

/// <summary>
/// One container run in the foreground by podman the way this machine allows (Debian's runc, the host's network — inside
/// the tests' loopback-only namespace — and explicit ulimits), its output captured; on dispose it is removed by name.
/// </summary>
internal sealed class PodmanContainer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private PodmanContainer(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>What the container printed so far, stdout then stderr.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return $"--- stdout\n{_stdout}\n--- stderr\n{_stderr}";
            }
        }
    }

    /// <summary>The <c>podman</c> arguments that run <paramref name="image"/> here (before the image: <paramref name="options"/>).</summary>
    public static IEnumerable<string> RunArguments(IEnumerable<string> options, string image, IEnumerable<string> command) =>
        ["--runtime", "runc", "run", "--rm", "--network", "host", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
            .. options, image, .. command];

    /// <summary>Starts <c>podman run</c> for <paramref name="image"/>; <paramref name="environment"/> is podman's own (for <c>-e NAME</c> without a value).</summary>
    public static PodmanContainer Start(string image, IEnumerable<string> options, IEnumerable<string> command, IDictionary<string, string?> environment)
    {
        var name = "agent-vault-test-" + Guid.NewGuid().ToString("N")[..10];
        var start = new ProcessStartInfo("podman")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in RunArguments(["--name", name, .. options], image, command))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var container = new PodmanContainer(name, process);
        process.OutputDataReceived += (_, e) => container.Append(container._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => container.Append(container._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return container;
    }

    /// <summary>Runs <c>podman ARGS</c> to the end (60 s deadline).</summary>
    public static Task<ClientProcess.Result> PodmanAsync(params string[] arguments) =>
        ClientProcess.RunAsync("podman", arguments, timeout: TimeSpan.FromSeconds(60));

    /// <summary>Waits until stdout has a line matching <paramref name="pattern"/> and returns its first group; fails with the output when the container stops or the deadline passes.</summary>
    public async Task<string> WaitForStdoutAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string stdout;
            lock (_gate)
            {
                stdout = _stdout.ToString();
            }

            if (pattern.Match(stdout) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }

            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"the container exited with code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)} before printing /{pattern}/\n{Output}");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"the container did not print /{pattern}/ within {timeout}\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The host's process id of the container's first process (the broker: the image's entry point is the binary itself).</summary>
    public async Task<int> HostPidAsync()
    {
        var inspect = await PodmanAsync("inspect", "--format", "{{.State.Pid}}", Name);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        return int.Parse(inspect.StdOut.Trim(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await PodmanAsync("rm", "--force", "--time", "5", Name);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.AppendLine(line);
        }
    }
}
