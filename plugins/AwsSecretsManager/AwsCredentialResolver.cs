using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.SigV4;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>
/// Finds the credentials for each call, in the order of the AWS SDKs: the store's settings (references, resolved
/// before every use so rotation works), then <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c>,
/// then web identity (<c>AWS_WEB_IDENTITY_TOKEN_FILE</c> + <c>AWS_ROLE_ARN</c>).
/// </summary>
internal sealed class AwsCredentialResolver : IDisposable
{
    private readonly SecretStoreContext _context;
    private readonly Func<string, string?> _environment;
    private readonly WebIdentityCredentialProvider _webIdentity;

    public AwsCredentialResolver(SecretStoreContext context, Func<string, string?> environment)
    {
        _context = context;
        _environment = environment;
        _webIdentity = new WebIdentityCredentialProvider(context, environment);
    }

    public async ValueTask<AwsCredentials> ResolveAsync(string region, CancellationToken cancellationToken)
    {
        var settings = _context.Settings;
        if (settings.GetString(AwsSettingNames.AccessKeyId) is { } keyIdRef)
        {
            var keyId = await _context.Bootstrap.ResolveAsync(keyIdRef, cancellationToken);
            var secretRef = settings.GetString(AwsSettingNames.SecretAccessKey)
                ?? throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, "secret_access_key is not set");
            var secret = await _context.Bootstrap.ResolveAsync(secretRef, cancellationToken);
            string? token = null;
            if (settings.GetString(AwsSettingNames.SessionToken) is { } tokenRef)
            {
                token = await _context.Bootstrap.ResolveAsync(tokenRef, cancellationToken);
            }

            return Create(keyId.Trim(), secret.Trim(), token?.Trim(), "the store settings");
        }

        var envKeyId = _environment("AWS_ACCESS_KEY_ID");
        var envSecret = _environment("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(envKeyId) && !string.IsNullOrEmpty(envSecret))
        {
            return Create(envKeyId, envSecret, _environment("AWS_SESSION_TOKEN"), "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        }

        if (_webIdentity.IsConfigured)
        {
            return await _webIdentity.GetAsync(region, cancellationToken);
        }

        throw new SecretStoreException(
            SecretErrorCategory.InvalidConfiguration,
            "no AWS credentials: set access_key_id and secret_access_key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
            + "or AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN");
    }

    public void Dispose() => _webIdentity.Dispose();

    private static AwsCredentials Create(string keyId, string secret, string? token, string source)
    {
        if (keyId.Length == 0 || secret.Length == 0)
        {
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"the AWS access key from {source} is empty");
        }

        return new AwsCredentials(keyId, secret, token);
    }
}
