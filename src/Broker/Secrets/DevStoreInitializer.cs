using AgentVault.Broker.Model;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// With <c>--dev</c>: adds the store <c>local</c> of type <c>file</c> to the configuration when none by that name exists.
/// Runs as a start-up task, after the configuration is loaded and before the listeners open.
/// </summary>
internal sealed class DevStoreInitializer : IStartupTask
{
    public const string StoreName = "local";

    private readonly ServerOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public DevStoreInitializer(ServerOptions options, IServiceProvider services, ILogger<DevStoreInitializer> logger)
    {
        _options = options;
        _services = services;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!_options.Dev)
        {
            return;
        }

        var repository = _services.GetService<IConfigRepository>();
        var state = _services.GetService<IConfigStateProvider>();
        if (repository is null || state is null)
        {
            SecretsLog.DevStoreSkipped(_logger, "no configuration storage is registered");
            return;
        }

        // Compare-and-swap like every configuration write: should another writer save first, look again.
        while (true)
        {
            var (document, version) = await repository.LoadVersionedAsync(cancellationToken).ConfigureAwait(false);
            if (document.Stores?.Any(s => s.Name == StoreName) == true)
            {
                return;
            }

            var stores = new List<StoreDefinition>(document.Stores ?? []) { new() { Name = StoreName, Type = "file" } };
            if ((await repository.SaveAsync(document with { Stores = stores }, version, cancellationToken).ConfigureAwait(false)).Saved)
            {
                break;
            }
        }

        await state.ReloadAsync(cancellationToken).ConfigureAwait(false);
        SecretsLog.DevStoreAdded(_logger, StoreName);
    }
}
