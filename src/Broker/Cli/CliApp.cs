namespace AgentVault.Broker.Cli;

/// <summary>The <c>agent-vault</c> command line: the server command and every client command of the management API.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args)
    {
        // Filled in by the CLI work item; the server command comes from Hosting.ServerCommandFactory.
        _ = args;
        return Task.FromResult(2);
    }
}
