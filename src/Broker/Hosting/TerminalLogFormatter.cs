using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace AgentVault.Broker.Hosting;

/// <summary>
/// The server's log on a terminal: one short line per entry (<c>warning: …</c>), no timestamp or category, and for an
/// exception only its type and message unless the level is debug or lower (a DNS failure is one line, not two stack
/// traces). Output that is redirected (a service manager, a file, the tests) keeps the full single-line format.
/// </summary>
internal sealed class TerminalLogFormatter(IOptionsMonitor<TerminalLogFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "agent-vault-terminal";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        textWriter.Write(Label(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(message.ReplaceLineEndings(" "));
        if (logEntry.Exception is { } exception)
        {
            if (options.CurrentValue.MinimumLevel <= LogLevel.Debug)
            {
                textWriter.Write(Environment.NewLine);
                textWriter.Write(exception.ToString());
            }
            else
            {
                textWriter.Write($" ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}; --log-level debug shows the details)");
            }
        }

        textWriter.Write(Environment.NewLine);
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };
}

/// <summary>Options of <see cref="TerminalLogFormatter"/>: the server's log level decides whether exceptions are written in full.</summary>
internal sealed class TerminalLogFormatterOptions : ConsoleFormatterOptions
{
    public LogLevel MinimumLevel { get; set; } = LogLevel.Warning;
}
