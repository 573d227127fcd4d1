using System.Text.Json;
using System.Text.RegularExpressions;
using AgentVault.Abstractions.Secrets;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>
/// Reads secrets from Azure Key Vault with the Azure SDK; a reference path is <c>name</c> or <c>name/version</c>.
/// A value holding a JSON object also yields its top-level properties as fields.
/// </summary>
internal sealed partial class AzureKeyVaultStore : ISecretStore
{
    private readonly SecretStoreContext _context;
    private readonly ILogger _logger;
    private readonly Lazy<(SecretClient Client, TokenCredential Credential)> _client;

    public AzureKeyVaultStore(SecretStoreContext context)
    {
        _context = context;
        _logger = context.LoggerFactory.CreateLogger<AzureKeyVaultStore>();
        _client = new Lazy<(SecretClient, TokenCredential)>(CreateClient);
    }

    public async Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (name, version) = ParsePath(request.Path);
        try
        {
            var secret = (await _client.Value.Client.GetSecretAsync(name, version, cancellationToken)).Value;
            AzureLog.SecretRead(_logger, _context.StoreName, name, secret.Properties.Version);
            var expires = secret.Properties.ExpiresOn is { } on && on > _context.TimeProvider.GetUtcNow() ? on : (DateTimeOffset?)null;
            return new SecretValue(secret.Value, FieldsOf(secret.Value)) { Version = secret.Properties.Version, ExpiresAt = expires };
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Fail(e, $"get {name}");
        }
    }

    public async Task TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in _client.Value.Client.GetPropertiesOfSecretsAsync(cancellationToken).AsPages(pageSizeHint: 1))
            {
                _ = page.Values.Count;
                break;
            }
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Fail(e, "list secrets");
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_client.IsValueCreated && _client.Value.Credential is IDisposable disposable)
        {
            disposable.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    internal static (string Name, string? Version) ParsePath(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts.Length > 2 || !NamePattern().IsMatch(parts[0]) || (parts.Length == 2 && parts[1].Length == 0))
        {
            throw new SecretStoreException(
                SecretErrorCategory.NotFound, $"'{path}' is not a Key Vault secret reference: use name or name/version (name: letters, digits, dashes)");
        }

        return (parts[0], parts.Length == 2 ? parts[1] : null);
    }

    private SecretStoreException Fail(Exception exception, string operation)
    {
        var mapped = AzureErrors.Map(exception, operation);
        AzureLog.CallFailed(_logger, _context.StoreName, operation, mapped.Category.ToString());
        return mapped;
    }

    private (SecretClient, TokenCredential) CreateClient()
    {
        var settings = _context.Settings;
        var vaultUrl = AzureKeyVaultStoreFactory.ParseHttpsUrl(settings.GetString(AzureSettingNames.VaultUrl))
            ?? throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, "vault_url must be the vault's https:// URL");
        var transport = new HttpClientTransport(_context.HttpClient);
        var credential = AzureCredentialFactory.Create(_context, transport);
        var options = new SecretClientOptions
        {
            Transport = transport,
            DisableChallengeResourceVerification = AzureKeyVaultStoreFactory.Flag(settings, AzureSettingNames.DisableChallengeResourceVerification),
        };

        // The broker serves cached values while a store is down, so fail fast instead of the SDK's long retry schedule.
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
        options.Diagnostics.IsLoggingContentEnabled = false;
        return (new SecretClient(vaultUrl, credential, options), credential);
    }

    private static Dictionary<string, string>? FieldsOf(string? text)
    {
        if (text is null || !text.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.EnumerateObject().ToDictionary(
                p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex NamePattern();
}
