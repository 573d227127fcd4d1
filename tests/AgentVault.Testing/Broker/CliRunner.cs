using System.Diagnostics;

namespace AgentVault.Testing.Broker;

/// <summary>
/// Runs the real <c>agent-vault</c> CLI (the built broker dll) as a user would: arguments, environment, stdin;
/// returns exit code, stdout and stderr. A run that outlives its deadline is killed and reported with its output.
/// </summary>
public sealed class CliRunner
{
    private readonly Dictionary<string, string?> _environment;

    /// <summary>Creates a runner; <paramref name="environment"/> values are set for every run (null removes a variable).</summary>
    public CliRunner(IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        _environment = new Dictionary<string, string?>(environment ?? [], StringComparer.Ordinal);
    }

    /// <summary>Default deadline of one run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The environment every run gets on top of the (sanitised) test environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment => _environment;

    /// <summary>A copy of this runner with more (or changed) environment variables.</summary>
    public CliRunner With(IEnumerable<KeyValuePair<string, string?>> environment)
    {
        var merged = new Dictionary<string, string?>(_environment, StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            merged[name] = value;
        }

        return new CliRunner(merged) { Timeout = Timeout };
    }

    /// <summary>A copy of this runner with one more (or changed) environment variable.</summary>
    public CliRunner With(string name, string? value) => With([new KeyValuePair<string, string?>(name, value)]);

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    /// <summary>Runs <c>agent-vault ARGS</c>; <paramref name="stdin"/> is written and closed (stdin is empty when null).</summary>
    public async Task<CliResult> RunAsync(IEnumerable<string> args, string? stdin, IEnumerable<KeyValuePair<string, string?>>? environment = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(TestPaths.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(TestPaths.BrokerDll);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        ChildEnvironment.Apply(startInfo, environment is null ? _environment : _environment.Concat(environment));

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the CLI");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The CLI exited before reading its stdin; its exit code and output tell the story.
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"agent-vault {string.Join(' ', args)} did not finish within {timeout ?? Timeout}\n--- stdout\n{await stdout}\n--- stderr\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
