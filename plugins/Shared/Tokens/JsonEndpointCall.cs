using System.Net;
using System.Text.Json;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Plugins.Tokens;

/// <summary>
/// Sends one request to a token-issuing endpoint through the broker's client and reads its JSON answer (at most
/// 256 KiB). Transport failures become <see cref="AuthSchemeException"/> naming the endpoint, never a request value.
/// </summary>
public static class JsonEndpointCall
{
    private const int MaxResponseBytes = 256 * 1024;

    /// <summary>
    /// Returns the status and the parsed body (null when empty or not JSON); <paramref name="endpoint"/> names the endpoint in
    /// errors, e.g. <c>The token endpoint https://…/token</c>.
    /// </summary>
    public static async Task<(HttpStatusCode Status, JsonDocument? Document)> SendAsync(
        HttpClient client, HttpRequestMessage request, string endpoint, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new AuthSchemeException($"{endpoint} could not be reached ({ex.HttpRequestError}).", null, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuthSchemeException($"{endpoint} did not answer in time.", null, ex);
        }

        using (response)
        {
            var body = await ReadLimitedAsync(response.Content, endpoint, cancellationToken);
            try
            {
                return (response.StatusCode, body.Length == 0 ? null : JsonDocument.Parse(body));
            }
            catch (JsonException)
            {
                return (response.StatusCode, null);
            }
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, string endpoint, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new AuthSchemeException($"{endpoint} answered with a body larger than 256 KiB.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
