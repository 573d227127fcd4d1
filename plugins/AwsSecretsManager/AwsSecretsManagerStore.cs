using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>
/// Reads secrets from AWS Secrets Manager: <c>GetSecretValue</c> by name or ARN, with <c>?stage=</c> or <c>?version_id=</c>.
/// A JSON <c>SecretString</c> also yields its top-level properties as fields; <c>SecretBinary</c> is decoded.
/// </summary>
internal sealed class AwsSecretsManagerStore : ISecretStore
{
    private static readonly string[] QueryOptions = ["stage", "version_id"];

    private readonly SecretStoreContext _context;
    private readonly AwsCredentialResolver _credentials;
    private readonly Func<string, string?> _environment;
    private readonly SecretsManagerClient _client;
    private readonly ILogger _logger;

    public AwsSecretsManagerStore(SecretStoreContext context, AwsCredentialResolver credentials, Func<string, string?> environment)
    {
        _context = context;
        _credentials = credentials;
        _environment = environment;
        _logger = context.LoggerFactory.CreateLogger<AwsSecretsManagerStore>();
        _client = new SecretsManagerClient(context, credentials, _logger);
    }

    public async Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Path))
        {
            throw new SecretStoreException(SecretErrorCategory.NotFound, "an AWS secret reference needs a secret name or ARN");
        }

        foreach (var key in request.Query.Keys)
        {
            if (!QueryOptions.Contains(key, StringComparer.Ordinal))
            {
                throw new SecretStoreException(
                    SecretErrorCategory.InvalidConfiguration, $"unknown option ?{key} in the reference to {request.Path}; use ?stage= or ?version_id=");
            }
        }

        var body = new JsonObject { ["SecretId"] = request.Path };
        if (request.GetQuery("stage") is { Length: > 0 } stage)
        {
            body["VersionStage"] = stage;
        }

        if (request.GetQuery("version_id") is { Length: > 0 } versionId)
        {
            body["VersionId"] = versionId;
        }

        var (endpoint, region) = Target();
        using var document = await _client.SendAsync(endpoint, region, "GetSecretValue", body, cancellationToken);
        var value = ToSecretValue(document.RootElement, request.Path);
        AwsLog.SecretRead(_logger, _context.StoreName, request.Path, value.Version);
        return value;
    }

    public async Task TestAsync(CancellationToken cancellationToken)
    {
        var (endpoint, region) = Target();
        using var document = await _client.SendAsync(endpoint, region, "ListSecrets", new JsonObject { ["MaxResults"] = 1 }, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _credentials.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static SecretValue ToSecretValue(JsonElement root, string path)
    {
        var version = root.TryGetProperty("VersionId", out var v) ? v.GetString() : null;
        if (root.TryGetProperty("SecretString", out var s) && s.ValueKind == JsonValueKind.String)
        {
            var text = s.GetString()!;
            return new SecretValue(text, FieldsOf(text)) { Version = version };
        }

        if (root.TryGetProperty("SecretBinary", out var b) && b.ValueKind == JsonValueKind.String)
        {
            return new SecretValue(DecodeBinary(b.GetString()!)) { Version = version };
        }

        throw new SecretStoreException(SecretErrorCategory.NotFound, $"AWS secret {path} has neither SecretString nor SecretBinary");
    }

    private (Uri Endpoint, string Region) Target()
    {
        var region = _context.Settings.GetString(AwsSettingNames.Region) is { Length: > 0 } configured
            ? configured
            : _environment("AWS_REGION") is { Length: > 0 } r ? r
            : _environment("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d
            : throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, "no AWS region: set region, or AWS_REGION");

        var endpoint = AwsSecretsManagerStoreFactory.ParseUrl(_context.Settings.GetString(AwsSettingNames.Endpoint))
            ?? AwsSecretsManagerStoreFactory.ParseUrl(_environment("AWS_ENDPOINT_URL_SECRETS_MANAGER"))
            ?? AwsSecretsManagerStoreFactory.ParseUrl(_environment("AWS_ENDPOINT_URL"))
            ?? new Uri($"https://secretsmanager.{region}.amazonaws.com/");
        return (endpoint, region);
    }

    // A SecretString holding a JSON object (the console's key/value form) exposes its properties as fields.
    private static Dictionary<string, string>? FieldsOf(string text)
    {
        if (!text.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }

            return fields;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Binary secrets that are UTF-8 text come back as that text; anything else stays base64 so no byte is lost.
    private static string DecodeBinary(string base64)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64);
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return base64;
        }
    }
}
