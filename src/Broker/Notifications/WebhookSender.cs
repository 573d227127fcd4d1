using System.Globalization;
using System.Net.Http.Headers;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// Makes one attempt of a delivery: resolves the hook's secret through the broker's secret cache (by reference, read anew for
/// each attempt so a rotated secret is used at once), signs the body with a fresh timestamp, POSTs it within
/// <see cref="WebhookRetryPolicy.AttemptTimeout"/>, and classifies the outcome. The response body is never read and the
/// secret lives only in this method.
/// </summary>
internal sealed class WebhookSender(WebhookHttpClient http, IReferenceResolver secrets, TimeProvider time)
{
    public async Task<WebhookAttempt> SendAsync(WebhookDelivery delivery, byte[] body, CancellationToken cancellationToken)
    {
        if (!CredentialReference.TryParse(delivery.Hook.Secret, out var reference, out _))
        {
            return WebhookAttempt.Failed("secret_invalid", retryable: false);
        }

        string secret;
        try
        {
            secret = await secrets.ResolveReferenceAsync(reference, cancellationToken);
        }
        catch (CredentialUnavailableException)
        {
            return WebhookAttempt.Failed("secret_unavailable", retryable: true);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Compute(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.TryAddWithoutValidation("X-Agent-Vault-Event", delivery.Event.Event);
        request.Headers.TryAddWithoutValidation("X-Agent-Vault-Delivery", delivery.Id);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("agent-vault", typeof(WebhookSender).Assembly.GetName().Version?.ToString(3) ?? "0"));

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(WebhookRetryPolicy.AttemptTimeout);
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            return WebhookAttempt.Answered((int)response.StatusCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WebhookAttempt.Failed("timeout", retryable: true);
        }
        catch (HttpRequestException ex)
        {
            return Classify(ex);
        }
    }

    private static WebhookAttempt Classify(HttpRequestException ex)
    {
        if (DestinationBlockedException.Find(ex) is not null)
        {
            return WebhookAttempt.Failed("destination_blocked", retryable: false);
        }

        return ex.HttpRequestError switch
        {
            // A certificate that does not verify will not verify on the next attempt either.
            HttpRequestError.SecureConnectionError => WebhookAttempt.Failed("tls_error", retryable: false),
            HttpRequestError.NameResolutionError => WebhookAttempt.Failed("name_resolution", retryable: true),
            _ => WebhookAttempt.Failed("connection_error", retryable: true),
        };
    }

    /// <summary>The host of a hook's URL for logs (its path may be a credential, as in Slack's webhook URLs).</summary>
    public static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IsDefaultPort ? uri.Host : string.Create(CultureInfo.InvariantCulture, $"{uri.Host}:{uri.Port}") : "?";
}
