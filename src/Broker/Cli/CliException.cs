namespace AgentVault.Broker.Cli;

/// <summary>An expected failure of a CLI command: the lines are printed on stderr and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode = ExitCodes.Failed)
        : this([message], exitCode)
    {
    }

    public CliException(IReadOnlyList<string> lines, int exitCode = ExitCodes.Failed)
        : base(string.Join(Environment.NewLine, lines))
    {
        Lines = lines;
        ExitCode = exitCode;
    }

    public CliException()
        : this("operation failed")
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        Lines = [message];
        ExitCode = ExitCodes.Failed;
    }

    /// <summary>One readable line per problem, without the <c>error: </c> prefix.</summary>
    public IReadOnlyList<string> Lines { get; }

    public int ExitCode { get; }
}
