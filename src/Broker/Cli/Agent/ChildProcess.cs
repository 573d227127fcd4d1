using System.ComponentModel;
using System.Diagnostics;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>Runs a child with inherited stdio and extra environment, forwards termination signals to it, and returns its exit code.</summary>
internal static class ChildProcess
{
    private const int ENOENT = 2;
    private const int EACCES = 13;

    public static async Task<int> RunAsync(IReadOnlyList<string> command, IEnumerable<KeyValuePair<string, string>> environment, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var signals = new SignalForwarder();
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
            signals.Attach(process.Id);
        }
        catch (Win32Exception e) when (e.NativeErrorCode == ENOENT)
        {
            await Console.Error.WriteLineAsync($"agent-vault run: {command[0]}: command not found").ConfigureAwait(false);
            return ExitCodes.NotFound;
        }
        catch (Win32Exception e) when (e.NativeErrorCode == EACCES)
        {
            await Console.Error.WriteLineAsync($"agent-vault run: {command[0]}: permission denied").ConfigureAwait(false);
            return ExitCodes.CannotExecute;
        }
        catch (Win32Exception e)
        {
            await Console.Error.WriteLineAsync($"agent-vault run: {command[0]}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.CannotExecute;
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

        // .NET reports a child killed by signal N as 128+N, like a shell does.
        return process.ExitCode;
    }
}
