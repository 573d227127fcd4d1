using System.Diagnostics;
using System.Net.Http.Headers;

namespace AgentVault.Testing.Broker;

/// <summary>
/// The real broker (<c>agent-vault server</c>) in a child process on <c>127.0.0.1:0</c> with its own data directory.
/// Exposes the bound addresses and admin token, captures stdout/stderr, restarts on the same data directory,
/// and kills the process tree on dispose.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly BrokerOptions _options;
    private readonly string _workDir;
    private Process? _process;
    private BrokerRunOutput _run;
    private string? _firstAdminToken;

    private BrokerProcess(BrokerOptions options)
    {
        _options = options;
        _workDir = Directory.CreateTempSubdirectory("agent-vault-test-").FullName;
        DataDir = options.DataDir ?? Path.Combine(_workDir, "data");
        _run = new BrokerRunOutput(options.Log);
    }

    public string DataDir { get; }

    /// <summary>A scratch folder deleted on dispose (the default data dir lives in it; a caller-provided <see cref="BrokerOptions.DataDir"/> is left alone).</summary>
    public string WorkDir => _workDir;

    /// <summary>Management API base, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri ApiUrl => _run.ApiUrl ?? throw new InvalidOperationException("the broker is not running");

    /// <summary>Proxy listener, e.g. <c>http://127.0.0.1:41235/</c>.</summary>
    public Uri ProxyUri => _run.ProxyUri ?? throw new InvalidOperationException("the broker is not running");

    /// <summary>The admin token: as printed on first start, else read from <c>&lt;data-dir&gt;/admin.token</c>.</summary>
    public string AdminToken => _run.AdminToken ?? _firstAdminToken ?? File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();

    /// <summary>Whether the current run printed an admin token (only the first start on a data dir should).</summary>
    public bool PrintedAdminTokenThisRun => _run.AdminToken is not null;

    /// <summary>Stdout of the current run so far.</summary>
    public string Stdout => _run.Stdout;

    /// <summary>Stderr of the current run so far (the server logs there).</summary>
    public string Stderr => _run.Stderr;

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>
    /// The process id of the current run (also through a <see cref="BrokerOptions.Launcher"/>, which execs the broker), for
    /// <c>/proc/PID/…</c> (<see cref="ProcessStats.Read"/>).
    /// </summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the broker was never started");

    /// <summary>
    /// Waits until the server's log (stderr) of the current run contains <paramref name="text"/>: lines arrive asynchronously,
    /// so a line written before an answer may be read after it. False when it has not appeared within <paramref name="timeout"/> (30 s).
    /// </summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>A CLI runner pointed at this broker: AGENT_VAULT_ADDR, AGENT_VAULT_DATA_DIR (admin token file), a private XDG cache.</summary>
    public CliRunner Cli => new(new Dictionary<string, string?>
    {
        ["AGENT_VAULT_ADDR"] = ApiUrl.AbsoluteUri.TrimEnd('/'),
        ["AGENT_VAULT_DATA_DIR"] = DataDir,
        ["XDG_CACHE_HOME"] = Path.Combine(_workDir, "cache"),
        ["HOME"] = Path.Combine(_workDir, "home"),
    });

    /// <summary>Starts the broker and waits (with a deadline) until both listeners are up.</summary>
    public static async Task<BrokerProcess> StartAsync(BrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var broker = new BrokerProcess(options ?? new BrokerOptions());
        try
        {
            await broker.StartProcessAsync(cancellationToken);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HttpClient for the API; with the admin token as Bearer when <paramref name="admin"/>.</summary>
    public HttpClient CreateApiClient(bool admin = true)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = ApiUrl };
        if (admin)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        }

        return client;
    }

    /// <summary>Stops the broker gracefully (SIGTERM, then kill after a deadline) and starts it again on the same data dir.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartProcessAsync(cancellationToken);
    }

    /// <summary>Sends SIGTERM and waits for exit (killing the tree after 20 s); returns the exit code.</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken = default)
    {
        var process = _process ?? throw new InvalidOperationException("the broker was never started");
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(cancellationToken);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        // Let the asynchronous readers drain the last lines.
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>SIGKILL: the broker dies at once, with no chance to finish or roll back anything itself (a crash).</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("the broker was never started");
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.WaitForExit();
    }

    /// <summary>Starts the broker again on the same data dir after <see cref="KillAsync"/> or <see cref="StopAsync"/>.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) => StartProcessAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped.
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open must not fail the test that already ran.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: temp cleanup is best effort.
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        _firstAdminToken ??= _run.AdminToken;
        var run = new BrokerRunOutput(_options.Log);
        _run = run;

        var launcher = _options.Launcher;
        var startInfo = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : TestPaths.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (launcher.Count > 0)
        {
            foreach (var arg in launcher.Skip(1).Append(TestPaths.DotnetHost))
            {
                startInfo.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in new[] { TestPaths.BrokerDll, "server", "--data-dir", DataDir, "--api-listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        if (_options.Dev)
        {
            startInfo.ArgumentList.Add("--dev");
        }

        foreach (var arg in _options.Arguments)
        {
            startInfo.ArgumentList.Add(arg);
        }

        var environment = new Dictionary<string, string?>(_options.Environment) { ["HOME"] = Path.Combine(_workDir, "home") };
        if (_options.MasterPassword is not null)
        {
            environment["AGENT_VAULT_MASTER_PASSWORD"] = _options.MasterPassword;
        }

        ChildEnvironment.Apply(startInfo, environment);

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => run.OnLine(e.Data, isStdout: true);
        process.ErrorDataReceived += (_, e) => run.OnLine(e.Data, isStdout: false);
        process.Exited += (_, _) => run.OnExited();
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (_options.Stdin is not null)
        {
            await process.StandardInput.WriteAsync(_options.Stdin.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        try
        {
            await run.Ready.WaitAsync(deadline.Token);
        }
        catch (InvalidOperationException)
        {
            process.WaitForExit();
            throw new InvalidOperationException($"the broker exited with code {process.ExitCode} before listening\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the broker did not print both listening lines within {_options.StartTimeout}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
        }
    }
}
