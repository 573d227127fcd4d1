using AgentVault.Broker.Security;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tls;

namespace AgentVault.Broker.Hosting;

/// <summary>The ordered start-up before any listener opens: schema, data key, CA, admin token, configuration snapshot, then registered <see cref="IStartupTask"/>s.</summary>
internal sealed class BrokerStartup(
    IMetadataDatabase database,
    MasterKeyUnlocker unlocker,
    CertificateAuthority certificateAuthority,
    AdminTokenStore adminToken,
    IConfigStateProvider configState,
    IEnumerable<IStartupTask> tasks)
{
    public bool Completed { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await unlocker.UnlockAsync(cancellationToken);
        await certificateAuthority.InitializeAsync(cancellationToken);
        await adminToken.EnsureAsync(cancellationToken);

        // Another instance may rotate the admin token: its write moves the change version, and every reload rereads the hash.
        configState.Changed += _ => adminToken.ReloadInBackground();
        await configState.ReloadAsync(cancellationToken);
        foreach (var task in tasks)
        {
            await task.RunAsync(cancellationToken);
        }

        Completed = true;
    }
}
