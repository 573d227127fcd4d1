namespace AgentVault.Broker.WebConsole;

/// <summary>The one HttpClient the console uses to call the management API on its own listener: no proxy, no redirects, no cookies.</summary>
internal sealed class ConsoleHttpClient : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Client.Dispose();
}
