using System.Security.Cryptography;
using System.Text.Json;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.FileStore;

/// <summary>
/// Secrets kept in one file, encrypted as a whole (AES-GCM through the broker's protector, the associated data binding
/// the file's full path). Every write replaces the file atomically (temp file with mode 0600, then rename).
/// </summary>
internal sealed class FileSecretStore : IWritableSecretStore
{
    private const string AadPrefix = "agent-vault/file-store/v1:";
    private const int MaxNameLength = 256;

    private readonly string _storeName;
    private readonly string _path;
    private readonly IAtRestProtector _protector;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public FileSecretStore(string storeName, string path, IAtRestProtector protector)
    {
        _storeName = storeName;
        _path = path;
        _protector = protector;
    }

    public string FilePath => _path;

    public async Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query.Count > 0)
        {
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"the file store takes no options ('?{string.Join("&", request.Query.Keys)}')");
        }

        var secrets = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return secrets.TryGetValue(request.Path, out var value)
            ? new SecretValue(value)
            : throw new SecretStoreException(SecretErrorCategory.NotFound, $"secret '{request.Path}' not found in file store '{_storeName}'");
    }

    public async Task TestAsync(CancellationToken cancellationToken) => _ = await LoadAsync(cancellationToken).ConfigureAwait(false);

    public async Task SetSecretAsync(string name, string value, CancellationToken cancellationToken)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(value);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var secrets = await LoadAsync(cancellationToken).ConfigureAwait(false);
            secrets[name] = value;
            await SaveAsync(secrets, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> DeleteSecretAsync(string name, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var secrets = await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (!secrets.Remove(name))
            {
                return false;
            }

            await SaveAsync(secrets, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<string>> ListSecretNamesAsync(CancellationToken cancellationToken)
    {
        var secrets = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return secrets.Keys.Order(StringComparer.Ordinal).ToList();
    }

    public ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '#' or '?'))
        {
            throw new SecretStoreException(
                SecretErrorCategory.InvalidConfiguration,
                $"a secret name is 1-{MaxNameLength} characters without spaces, control characters, '#' or '?'");
        }
    }

    private async Task<Dictionary<string, string>> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (DirectoryNotFoundException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"cannot read the file of store '{_storeName}': {ex.GetType().Name}", ex);
        }

        byte[] plain;
        try
        {
            plain = _protector.Unprotect(sealedBytes, AadPrefix + _path);
        }
        catch (CryptographicException ex)
        {
            throw new SecretStoreException(
                SecretErrorCategory.InvalidConfiguration,
                $"the file of store '{_storeName}' ({_path}) cannot be decrypted: it was modified, moved, or encrypted with another master key",
                ex);
        }

        try
        {
            var document = JsonSerializer.Deserialize<FileStoreDocument>(plain);
            return document?.Secrets is { } secrets
                ? new Dictionary<string, string>(secrets, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"the file of store '{_storeName}' has an unreadable format", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private async Task SaveAsync(Dictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(new FileStoreDocument { Version = 1, Secrets = secrets });
        byte[] sealedBytes;
        try
        {
            sealedBytes = _protector.Protect(plain, AadPrefix + _path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        var directory = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var stream = new FileStream(temp, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(sealedBytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, _path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            File.Delete(temp);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"cannot write the file of store '{_storeName}': {ex.GetType().Name}", ex);
        }
    }
}
