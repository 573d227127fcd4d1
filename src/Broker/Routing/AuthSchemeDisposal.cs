using AgentVault.Abstractions.Auth;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Routing;

/// <summary>Disposes auth scheme instances that implement <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> (plugin schemes holding timers, clients or leases).</summary>
internal static class AuthSchemeDisposal
{
    public static async Task DisposeAsync(IReadOnlyCollection<IAuthScheme> schemes, ILogger logger)
    {
        var disposed = 0;
        foreach (var scheme in schemes)
        {
            try
            {
                if (scheme is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    disposed++;
                }
                else if (scheme is IDisposable disposable)
                {
                    disposable.Dispose();
                    disposed++;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A plugin's cleanup bug must not take the broker down; the type name is enough to find it (no message: it is plugin text).
                RoutingLog.AuthSchemeDisposeFailed(logger, scheme.GetType().FullName ?? scheme.GetType().Name, ex.GetType().Name);
            }
        }

        if (disposed > 0)
        {
            RoutingLog.AuthSchemesDisposed(logger, disposed);
        }
    }
}
