using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.SigV4;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>
/// Exchanges the web-identity token file (EKS IRSA, GitHub OIDC, ...) for temporary credentials with STS
/// <c>AssumeRoleWithWebIdentity</c> and caches them until shortly before they expire.
/// </summary>
internal sealed class WebIdentityCredentialProvider : IDisposable
{
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly SecretStoreContext _context;
    private readonly Func<string, string?> _environment;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AwsCredentials? _cached;

    public WebIdentityCredentialProvider(SecretStoreContext context, Func<string, string?> environment)
    {
        _context = context;
        _environment = environment;
        _logger = context.LoggerFactory.CreateLogger<WebIdentityCredentialProvider>();
    }

    public bool IsConfigured =>
        !string.IsNullOrEmpty(_environment("AWS_WEB_IDENTITY_TOKEN_FILE")) && !string.IsNullOrEmpty(_environment("AWS_ROLE_ARN"));

    public async ValueTask<AwsCredentials> GetAsync(string region, CancellationToken cancellationToken)
    {
        if (IsFresh(_cached) is { } fresh)
        {
            return fresh;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (IsFresh(_cached) is { } again)
            {
                return again;
            }

            _cached = await AssumeRoleAsync(region, cancellationToken);
            AwsLog.WebIdentityCredentialsIssued(_logger, _context.StoreName, _cached.Expiration ?? DateTimeOffset.MaxValue);
            return _cached;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private AwsCredentials? IsFresh(AwsCredentials? credentials) =>
        credentials?.Expiration is { } expires && _context.TimeProvider.GetUtcNow() < expires - RefreshBefore ? credentials : null;

    private async Task<AwsCredentials> AssumeRoleAsync(string region, CancellationToken cancellationToken)
    {
        var tokenFile = _environment("AWS_WEB_IDENTITY_TOKEN_FILE")!;
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecretStoreException(
                SecretErrorCategory.InvalidConfiguration, $"cannot read AWS_WEB_IDENTITY_TOKEN_FILE {tokenFile}: {e.GetType().Name}", e);
        }

        var sessionName = _environment("AWS_ROLE_SESSION_NAME") is { Length: > 0 } name ? name : "agent-vault-" + _context.StoreName;
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Action"] = "AssumeRoleWithWebIdentity",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = _environment("AWS_ROLE_ARN")!,
            ["RoleSessionName"] = sessionName,
            ["WebIdentityToken"] = token,
        };

        // AssumeRoleWithWebIdentity is the one STS call that is not signed: the token is the proof.
        using var request = new HttpRequestMessage(HttpMethod.Post, StsEndpoint(region)) { Content = new FormUrlEncodedContent(form) };
        string body;
        HttpStatusCode status;
        try
        {
            using var response = await _context.HttpClient.SendAsync(request, cancellationToken);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"AWS STS is unreachable: {e.GetType().Name}", e);
        }

        var document = ParseXml(body, status);
        if ((int)status >= 300)
        {
            var code = Child(document?.Root, "Code") ?? "unknown";
            throw new SecretStoreException(
                AwsErrors.Categorize(status, code), $"AWS STS AssumeRoleWithWebIdentity failed: {(int)status} {code}");
        }

        var credentials = document?.Root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Credentials")
            ?? throw new SecretStoreException(SecretErrorCategory.Unavailable, "AWS STS returned no credentials");
        string Field(string field) => Child(credentials, field)
            ?? throw new SecretStoreException(SecretErrorCategory.Unavailable, $"AWS STS credentials lack {field}");

        return new AwsCredentials(Field("AccessKeyId"), Field("SecretAccessKey"), Field("SessionToken"))
        {
            Expiration = DateTimeOffset.Parse(Field("Expiration"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        };
    }

    private Uri StsEndpoint(string region)
    {
        var configured = _context.Settings.GetString(AwsSettingNames.StsEndpoint) ?? _environment("AWS_ENDPOINT_URL_STS");
        return AwsSecretsManagerStoreFactory.ParseUrl(configured) ?? new Uri($"https://sts.{region}.amazonaws.com/");
    }

    // Matched on local names: AWS qualifies STS elements with a namespace, emulators do not always.
    private static string? Child(XElement? element, string name) =>
        element?.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static XDocument? ParseXml(string body, HttpStatusCode status)
    {
        try
        {
            return XDocument.Parse(body);
        }
        catch (XmlException e)
        {
            throw new SecretStoreException(
                (int)status >= 500 || (int)status < 300 ? SecretErrorCategory.Unavailable : SecretErrorCategory.AccessDenied,
                $"AWS STS answered {(int)status} with a body that is not XML",
                e);
        }
    }
}
