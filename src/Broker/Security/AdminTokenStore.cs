using System.Text;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Security;

/// <summary>
/// Creates the admin token on first start (printed once, written to <c>&lt;data-dir&gt;/admin.token</c> with mode 0600, stored only as a
/// SHA-256 hash) and verifies presented tokens against that hash in constant time.
/// </summary>
internal sealed class AdminTokenStore(ServerOptions options, IBlobRepository blobs, ServerConsole console, ILogger<AdminTokenStore> logger) : IAdminTokenVerifier, IAdminTokenRotator
{
    public const string BlobName = "security/admin-token-sha256";
    public const string FileName = "admin.token";

    private string? _hash;

    public string FilePath => Path.Combine(options.DataDir, FileName);

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var stored = await blobs.GetAsync(BlobName, cancellationToken);
        if (stored is null)
        {
            var token = TokenGenerator.NewAdminToken();
            var hash = TokenHasher.Hash(token);

            // The file is written first (0600, temporary name) so a crash cannot leave a stored hash whose token nobody has.
            var pending = FilePath + ".pending";
            File.Delete(pending);
            PrivateFile.WriteNew(pending, Encoding.UTF8.GetBytes(token + "\n"));
            try
            {
                if (await blobs.TryInsertAsync(BlobName, Encoding.UTF8.GetBytes(hash), cancellationToken))
                {
                    File.Move(pending, FilePath, overwrite: true);
                    Volatile.Write(ref _hash, hash);
                    console.WriteLine($"admin token: {token}");
                    console.WriteLine($"admin token written to {FilePath} (it is shown only once)");
                    SecurityLog.AdminTokenCreated(logger, FilePath);
                    return;
                }
            }
            finally
            {
                File.Delete(pending);
            }

            stored = await blobs.GetAsync(BlobName, cancellationToken) ?? throw new BrokerStartupException("the admin token record vanished during start-up");
        }

        Volatile.Write(ref _hash, Encoding.UTF8.GetString(stored));
    }

    /// <summary>
    /// Replaces the admin token (SPEC §14, <c>agent-vault admin rotate-token</c>): the new one is returned once, the old one stops
    /// working here at once and on other instances when they see the change version move. <c>admin.token</c> in this
    /// instance's data directory is rewritten when it exists (0600).
    /// </summary>
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        var token = TokenGenerator.NewAdminToken();
        var hash = TokenHasher.Hash(token);
        await blobs.PutAndSignalAsync(BlobName, Encoding.UTF8.GetBytes(hash), cancellationToken);
        Volatile.Write(ref _hash, hash);
        if (File.Exists(FilePath))
        {
            PrivateFile.Replace(FilePath, Encoding.UTF8.GetBytes(token + "\n"));
        }

        return token;
    }

    /// <summary>
    /// Reads the stored hash again (another instance may have rotated the token), without waiting; a failed read keeps the
    /// current hash until the next change.
    /// </summary>
    public void ReloadInBackground() => _ = ReloadAsync();

    private async Task ReloadAsync()
    {
        try
        {
            if (await blobs.GetAsync(BlobName, CancellationToken.None) is { } stored)
            {
                Volatile.Write(ref _hash, Encoding.UTF8.GetString(stored));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SecurityLog.AdminTokenReloadFailed(logger, ex.GetType().Name);
        }
    }

    public bool Verify(string? presentedToken)
    {
        var hash = Volatile.Read(ref _hash);
        if (hash is null || string.IsNullOrEmpty(presentedToken))
        {
            return false;
        }

        return TokenHasher.FixedTimeEquals(TokenHasher.Hash(presentedToken), hash);
    }
}
