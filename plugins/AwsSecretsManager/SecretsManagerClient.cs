using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.SigV4;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>Calls Secrets Manager operations over its JSON 1.1 protocol, signed with SigV4.</summary>
internal sealed class SecretsManagerClient
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.1");

    private readonly SecretStoreContext _context;
    private readonly AwsCredentialResolver _credentials;
    private readonly ILogger _logger;

    public SecretsManagerClient(SecretStoreContext context, AwsCredentialResolver credentials, ILogger logger)
    {
        _context = context;
        _credentials = credentials;
        _logger = logger;
    }

    /// <summary>Sends <paramref name="operation"/> (e.g. <c>GetSecretValue</c>) and returns the parsed response.</summary>
    public async Task<JsonDocument> SendAsync(Uri endpoint, string region, string operation, JsonObject body, CancellationToken cancellationToken)
    {
        var credentials = await _credentials.ResolveAsync(region, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + operation);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
        request.Content.Headers.ContentType = JsonContentType;
        var options = new SigV4SigningOptions { Region = region, Service = "secretsmanager" };
        await SigV4Signer.SignAsync(request, credentials, options, _context.TimeProvider.GetUtcNow(), cancellationToken);

        HttpResponseMessage response;
        try
        {
            response = await _context.HttpClient.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new SecretStoreException(
                SecretErrorCategory.Unavailable, $"AWS Secrets Manager at {endpoint.Authority} is unreachable: {e.GetType().Name}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonDocument? document = null;
            try
            {
                document = text.Length > 0 ? JsonDocument.Parse(text) : null;
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
                document = null;
            }
            catch (JsonException e)
            {
                throw new SecretStoreException(SecretErrorCategory.Unavailable, $"AWS Secrets Manager {operation} returned a body that is not JSON", e);
            }

            if (response.IsSuccessStatusCode && document is not null)
            {
                return document;
            }

            using (document)
            {
                var raw = document?.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("__type", out var type)
                    ? type.GetString()
                    : response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
                var code = AwsErrors.ShortCode(raw);
                var status = (int)response.StatusCode;
                AwsLog.CallFailed(_logger, _context.StoreName, operation, status, code);

                // The service's message is left out on purpose: a signature error echoes the canonical request.
                throw new SecretStoreException(
                    AwsErrors.Categorize(response.StatusCode, code), $"AWS Secrets Manager {operation} failed: {status} {code}");
            }
        }
    }
}
