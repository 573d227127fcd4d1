using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Auth;

/// <summary>The scheme that sets nothing and strips nothing beyond hop-by-hop and <c>Proxy-*</c> headers.</summary>
internal sealed class PassthroughAuthScheme : IAuthScheme
{
    public static PassthroughAuthScheme Instance { get; } = new();

    public IReadOnlyCollection<string> HeadersToStrip { get; } = [];

    public ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
