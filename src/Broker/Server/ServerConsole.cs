namespace AgentVault.Broker.Server;

/// <summary>The server's standard streams: start-up lines and the one-time admin token go to <see cref="Out"/>; logs go to stderr.</summary>
public sealed record ServerConsole(TextWriter Out, TextWriter Error, TextReader In)
{
    public static ServerConsole System { get; } = new(Console.Out, Console.Error, Console.In);

    /// <summary>Writes one line and flushes, so a process reading our stdout sees it at once.</summary>
    public void WriteLine(string line)
    {
        lock (Out)
        {
            Out.WriteLine(line);
            Out.Flush();
        }
    }
}
