using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>Runs a child with inherited stdio and extra environment, forwards termination signals to it, and returns its exit code.</summary>
internal static partial class ChildProcess
{
    private const int ENOENT = 2;
    private const int EACCES = 13;

    private static readonly (PosixSignal Signal, int Number, bool FromTerminal)[] Forwarded =
    [
        (PosixSignal.SIGINT, 2, true),
        (PosixSignal.SIGQUIT, 3, true),
        (PosixSignal.SIGTERM, 15, false),
        (PosixSignal.SIGHUP, 1, false),
    ];

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

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
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

        var registrations = new List<PosixSignalRegistration>();
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // On a terminal, Ctrl+C and Ctrl+\ already reach the whole foreground process group, child included:
                // forwarding them too would deliver them twice. Signals sent to this process alone are always forwarded.
                var interactive = !Console.IsInputRedirected;
                foreach (var (signal, number, fromTerminal) in Forwarded)
                {
                    var forward = !(interactive && fromTerminal);
                    registrations.Add(PosixSignalRegistration.Create(signal, context =>
                    {
                        // Stay alive until the child exits, and let the child decide what the signal means.
                        context.Cancel = true;
                        if (forward)
                        {
                            _ = Kill(process.Id, number);
                        }
                    }));
                }
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

            // .NET reports a child killed by signal N as 128+N, like a shell does.
            return process.ExitCode;
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
