using System.Collections.Concurrent;

namespace AgentVault.Testing.Fakes;

/// <summary>
/// Passes requests on, counts them, and records the AWS operation of each (its <c>X-Amz-Target</c> header, else the form's
/// <c>Action=…</c>, else <c>unknown</c> for a request with a body), so tests can count calls in all or per operation.
/// </summary>
public sealed class CountingHandler : DelegatingHandler
{
    private int _count;

    /// <summary>A handler whose inner handler is set later (e.g. by an HttpClientFactory pipeline).</summary>
    public CountingHandler()
    {
    }

    public CountingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>How many requests went through.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The AWS operation of each request with a target header or a body, in order.</summary>
    public ConcurrentQueue<string> Operations { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        if (request.Headers.TryGetValues("X-Amz-Target", out var targets))
        {
            Operations.Enqueue(targets.First());
        }
        else if (request.Content is not null)
        {
            var body = await request.Content.ReadAsStringAsync(cancellationToken);
            var action = body.Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal));
            Operations.Enqueue(action ?? "unknown");
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
