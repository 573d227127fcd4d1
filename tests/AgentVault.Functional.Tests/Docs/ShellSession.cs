using System.Diagnostics;
using System.Threading.Channels;

namespace AgentVault.Functional.Tests.Docs;

/// <summary>
/// One bash, as a reader's terminal: commands run one after another in the same shell (aliases, exports and the working
/// directory carry over), stderr merged into stdout as a terminal shows them, stdin not the test's (each command reads
/// /dev/null unless it pipes its own input).
/// </summary>
internal sealed class ShellSession : IAsyncDisposable
{
    private const string Done = "__AV_DOCS_DONE__";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _bash;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public ShellSession(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("bash", ["--noprofile", "--norc"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        ReaderEnvironment.Apply(start, environment);

        _bash = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        _ = PumpAsync(_bash.StandardOutput);
        _ = PumpAsync(_bash.StandardError);
        _bash.StandardInput.AutoFlush = true;
        _bash.StandardInput.Write("exec 2>&1\nshopt -s expand_aliases\n");
    }

    /// <summary>Runs one command as typed; returns its output lines and exit status.</summary>
    public async Task<(List<string> Lines, int ExitCode)> RunAsync(string command)
    {
        await _bash.StandardInput.WriteAsync($"{{ {command}\n}} </dev/null\nprintf '%s%d\\n' {Done} $?\n");
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        while (true)
        {
            string line;
            try
            {
                line = await _lines.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"'{command}' did not finish within {CommandTimeout.TotalSeconds} s; it printed:\n{string.Join("\n", lines)}");
            }

            var marker = line.IndexOf(Done, StringComparison.Ordinal);
            if (marker < 0)
            {
                lines.Add(line);
                continue;
            }

            if (marker > 0)
            {
                lines.Add(line[..marker]);
            }

            return (lines, int.Parse(line[(marker + Done.Length)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _bash.StandardInput.WriteAsync("exit 0\n");
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _bash.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            _bash.Kill(entireProcessTree: true);
        }

        _bash.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            await _lines.Writer.WriteAsync(line.Replace("\r", string.Empty, StringComparison.Ordinal));
        }
    }
}
