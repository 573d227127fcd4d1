using System.Collections.Concurrent;

namespace AgentVault.Plugins.Tests.AwsSecretsManager;

/// <summary>Passes requests on and records the X-Amz-Target or form Action of each, so tests can count calls per operation.</summary>
internal sealed class CountingHandler : DelegatingHandler
{
    public CountingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    public ConcurrentQueue<string> Operations { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
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
