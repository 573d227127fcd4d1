using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Snapshots;

/// <summary>
/// Builds the runtime snapshot of a candidate configuration before a write saves it (SPEC §11): everything the publisher will
/// compile (token index, limits, credential bindings, route table), with fresh auth scheme instances that are disposed again
/// at once. A candidate that cannot be built is refused with every error, so a saved change always publishes.
/// </summary>
internal sealed class SnapshotCandidates(IPluginCatalog catalog, IServiceProvider services, ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    private static readonly Lazy<HttpClient> Unconnected = new(() => new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }));

    private readonly ILogger _logger = loggerFactory.CreateLogger<SnapshotCandidates>();

    /// <summary>The problems (configuration path, message) that keep <paramref name="candidate"/> from being built; empty when it builds.</summary>
    public async Task<IReadOnlyList<(string Path, string Message)>> CheckAsync(ConfigDocument candidate, IReadOnlyList<TokenRecord> tokens)
    {
        var failures = new List<(string Path, string Message)>();
        var client = services.GetService<IOutboundClients>()?.Plugins ?? Unconnected.Value;
        var builder = new RouteTableBuilder(catalog.AuthSchemes, client, loggerFactory, timeProvider, failures);
        IReadOnlyList<IAuthScheme> created = [];
        try
        {
            var state = new ConfigState(long.MaxValue, candidate, tokens);
            _ = TokenIndex.Build(state);
            _ = BrokerSnapshot.CompileLimits(candidate);
            _ = CredentialBindings.Build(candidate, services.GetService<SecretCacheOptions>() ?? new SecretCacheOptions());
            _ = builder.Build(candidate, state.Version);
            created = builder.Abandon();
        }
        catch (Exception ex)
        {
            created = builder.Orphans;
            SnapshotLog.CandidateFailed(_logger, ex);
            failures.Add(("$", $"the configuration cannot be compiled ({ex.GetType().Name}); the server log has the details"));
        }

        await AuthSchemeDisposal.DisposeAsync(created, _logger).ConfigureAwait(false);
        return failures;
    }
}
