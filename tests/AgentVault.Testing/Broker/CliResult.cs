namespace AgentVault.Testing.Broker;

/// <summary>The outcome of one CLI invocation.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout followed by stderr, for assertions that do not care which stream.</summary>
    public string Output => Stdout + Stderr;

    /// <summary>Non-empty stdout lines, trimmed.</summary>
    public IReadOnlyList<string> Lines =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
