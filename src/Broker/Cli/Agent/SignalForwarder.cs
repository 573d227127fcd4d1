using System.Runtime.InteropServices;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>
/// Catches termination signals for <c>run</c> (so it outlives them) and passes them on to the child.
/// Registered before the child starts, so a signal that arrives in between is delivered once the child exists.
/// </summary>
internal sealed class SignalForwarder : IDisposable
{
    private static readonly (PosixSignal Signal, int Number, bool FromTerminal)[] Forwarded =
    [
        (PosixSignal.SIGINT, 2, true),
        (PosixSignal.SIGQUIT, 3, true),
        (PosixSignal.SIGTERM, 15, false),
        (PosixSignal.SIGHUP, 1, false),
    ];

    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Lock _gate = new();
    private readonly List<int> _pending = [];
    private int _pid;

    public SignalForwarder()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // On a terminal, Ctrl+C and Ctrl+\ already reach the whole foreground process group, child included:
        // forwarding them too would deliver them twice. Signals sent to this process alone are always forwarded.
        var interactive = !Console.IsInputRedirected;
        foreach (var (signal, number, fromTerminal) in Forwarded)
        {
            var forward = !(interactive && fromTerminal);
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // Stay alive until the child exits, and let the child decide what the signal means.
                context.Cancel = true;
                if (forward)
                {
                    Deliver(number);
                }
            }));
        }
    }

    /// <summary>Sets the child's process id and delivers any signal that arrived before it started.</summary>
    public void Attach(int pid)
    {
        int[] pending;
        lock (_gate)
        {
            _pid = pid;
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var number in pending)
        {
            _ = Kill(pid, number);
        }
    }

    public void Dispose() => _registrations.ForEach(r => r.Dispose());

    private void Deliver(int number)
    {
        int pid;
        lock (_gate)
        {
            pid = _pid;
            if (pid == 0)
            {
                _pending.Add(number);
                return;
            }
        }

        _ = Kill(pid, number);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
