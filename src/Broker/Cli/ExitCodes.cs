namespace AgentVault.Broker.Cli;

/// <summary>Process exit codes of SPEC §2 (plus the shell conventions <c>run</c> uses for a child that cannot start).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int CannotExecute = 126;
    public const int NotFound = 127;
}
