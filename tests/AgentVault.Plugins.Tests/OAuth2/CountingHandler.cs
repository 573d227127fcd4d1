namespace AgentVault.Plugins.Tests.OAuth2;

/// <summary>Counts the requests a scheme sends through the broker's client (token requests).</summary>
internal sealed class CountingHandler : DelegatingHandler
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
