using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace AgentVault.Testing.Postgres;

/// <summary>
/// A real PostgreSQL server (Debian's <c>/usr/lib/postgresql/&lt;v&gt;/bin</c>) in a temporary data directory, listening
/// on 127.0.0.1 and a free port with password (SCRAM) authentication. PostgreSQL refuses to run as root, so as root it
/// runs as the <c>postgres</c> user (through <c>setpriv</c>, which execs, so the process id is the postmaster's).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private readonly string _directory;
    private readonly ProcessStartInfo _start;
    private Process _process;
    private ProcessOutput _output;

    private PostgresServer(string directory, ProcessStartInfo start, Process process, ProcessOutput output, int port, string password)
    {
        _directory = directory;
        _start = start;
        _process = process;
        _output = output;
        Port = port;
        SuperuserPassword = password;
    }

    public int Port { get; }

    public string SuperuserPassword { get; }

    /// <summary>Superuser connection string (no pooling, so every open is a real login).</summary>
    public string ConnectionString => ConnectionStringFor("postgres", SuperuserPassword);

    public string ConnectionStringFor(string username, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = username,
        Password = password,
        Database = "postgres",
        Pooling = false,
        Timeout = 10,
    }.ConnectionString;

    /// <summary>Creates a fresh, empty database (a random name when none is given) and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= "av_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\";", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return name;
    }

    /// <summary>A <c>postgres://</c> URL for <paramref name="database"/> (as the superuser unless another login is given), as a broker's <c>--database-url</c> takes it.</summary>
    public string UrlFor(string database, string username = "postgres", string? password = null) =>
        $"postgres://{Uri.EscapeDataString(username)}:{Uri.EscapeDataString(password ?? SuperuserPassword)}@127.0.0.1:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(database)}";

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory();
        var directory = Path.Combine(Path.GetTempPath(), "agent-vault-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(directory);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        int port;
        ProcessStartInfo start;
        try
        {
            var passwordFile = Path.Combine(directory, "pwfile");
            await File.WriteAllTextAsync(passwordFile, password + "\n", cancellationToken);
            var asRoot = Environment.UserName == "root";
            if (asRoot)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", directory], cancellationToken);
            }

            await RunAsync(Command(asRoot, Path.Combine(bin, "initdb")), [.. Args(asRoot, Path.Combine(bin, "initdb")), "-D", data, "-U", "postgres", "--pwfile=" + passwordFile, "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"], cancellationToken);
            File.Delete(passwordFile);
            port = FreePort();
            start = new ProcessStartInfo(Command(asRoot, Path.Combine(bin, "postgres"))) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in (string[])[.. Args(asRoot, Path.Combine(bin, "postgres")), "-D", data, "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", directory, "-c", "fsync=off", "-c", "log_min_messages=warning"])
            {
                start.ArgumentList.Add(arg);
            }
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start postgres");
        var output = new ProcessOutput(process);
        var server = new PostgresServer(directory, start, process, output, port, password);
        try
        {
            await server.WaitReadyAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Stops the server (fast shutdown: clients are disconnected) and keeps its data; <see cref="StartAgainAsync"/> brings it back on the same port.</summary>
    public Task StopAsync() => ShutDownAsync();

    /// <summary>Starts a server stopped with <see cref="StopAsync"/> again, on the same data directory and port, and waits until it accepts logins.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("the PostgreSQL server is still running");
        }

        _process.Dispose();
        _process = Process.Start(_start) ?? throw new InvalidOperationException("cannot start postgres");
        _output = new ProcessOutput(_process);
        await WaitReadyAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await ShutDownAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; the directory is under the temp path.
        }
    }

    private async Task ShutDownAsync()
    {
        if (!_process.HasExited)
        {
            // SIGINT is PostgreSQL's "fast shutdown"; it disconnects clients and exits.
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with code {_process.ExitCode}: {_output.Text}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres"))).OrderByDescending(d => d, StringComparer.Ordinal).ToArray()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/deps/10-apt.sh installs them)");
    }

    private static string Command(bool asRoot, string program) => asRoot ? "setpriv" : program;

    private static string[] Args(bool asRoot, string program) => asRoot ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program] : [];

    private static async Task RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = new ProcessOutput(process);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartDeadline);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed with {process.ExitCode}: {output.Text}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
