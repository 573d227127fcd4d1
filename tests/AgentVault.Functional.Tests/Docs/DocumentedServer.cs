using System.Diagnostics;
using System.Threading.Channels;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Docs;

/// <summary>
/// <c>agent-vault server --dev</c> as a reader starts it in their first terminal: the built binary on a terminal (a pty from
/// <c>script(1)</c>, so the output is the terminal's), on the default ports, with the reader's <c>HOME</c>.
/// </summary>
internal sealed class DocumentedServer : IAsyncDisposable
{
    private readonly Process _script;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _printed = [];

    private DocumentedServer(Process script) => _script = script;

    /// <summary>What the terminal showed up to the proxy listener line.</summary>
    public IReadOnlyList<string> StartupLines => _printed;

    public static async Task<DocumentedServer> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var binary = Path.Combine(TestPaths.BrokerDirectory, "agent-vault");
        var start = new ProcessStartInfo("script", ["-qfec", $"'{binary}' server --dev", "/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        ReaderEnvironment.Apply(start, environment);

        var server = new DocumentedServer(Process.Start(start) ?? throw new InvalidOperationException("script(1) did not start"));
        _ = server.PumpAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await server._lines.Reader.ReadAsync(deadline.Token);
                server._printed.Add(line);
                if (line.StartsWith("proxy listening on ", StringComparison.Ordinal))
                {
                    return server;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("the server did not start; it printed:\n" + string.Join("\n", server._printed), ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_script.HasExited)
        {
            _script.Kill(entireProcessTree: true);
            await _script.WaitForExitAsync();
        }

        _script.Dispose();
    }

    private async Task PumpAsync()
    {
        while (await _script.StandardOutput.ReadLineAsync() is { } line)
        {
            await _lines.Writer.WriteAsync(line.Replace("\r", string.Empty, StringComparison.Ordinal));
        }

        _lines.Writer.TryComplete();
    }
}
