namespace AgentVault.Abstractions.Auth;

/// <summary>Applies credentials to an outgoing request of one service: sets headers, signs, or injects a minted token.</summary>
public interface IAuthScheme
{
    /// <summary>Header names the scheme sets; the broker removes them from the agent's request before <see cref="ApplyAsync"/>.</summary>
    IReadOnlyCollection<string> HeadersToStrip { get; }

    /// <summary>Applies credentials to <see cref="AuthRequest.Request"/>; throws <see cref="AuthSchemeException"/> when a credential cannot be obtained.</summary>
    ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken);

    /// <summary>Called once when the upstream answered 401; return true after discarding a cached token so the broker retries an idempotent request once.</summary>
    ValueTask<bool> OnUnauthorizedAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
