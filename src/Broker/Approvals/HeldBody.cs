using System.Buffers;
using AgentVault.Broker.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Approvals;

/// <summary>
/// Reads a held request's body into memory before it is registered, so nothing reaches the upstream before approval and an
/// approved request is forwarded with the body exactly as the agent sent it. Bounded: a body over <see cref="MaxBytes"/> is
/// refused with 413, also when it has no Content-Length (chunked, HTTP/2).
/// </summary>
internal static class HeldBody
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Buffers the body and puts the copy in place of <see cref="HttpRequest.Body"/>; the refusal when it cannot.</summary>
    public static async ValueTask<ProxyRefusal?> BufferAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            // No body (GET without one, a protocol upgrade whose bytes flow only after the handshake).
            return null;
        }

        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        var copy = new MemoryStream(request.ContentLength is { } length ? (int)length : 0);
        context.Response.RegisterForDispose(copy);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + read > MaxBytes)
                {
                    return TooLarge();
                }

                copy.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (BadHttpRequestException)
        {
            return new ProxyRefusal(ProxyError.BadRequest, "The request body could not be read.");
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return new ProxyRefusal(ProxyError.ClientClosed, "The agent went away while sending the body.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        copy.Position = 0;
        request.Body = copy;
        return null;
    }

    private static ProxyRefusal TooLarge() =>
        new(ProxyError.RequestTooLarge, $"A request that needs approval may carry a body of at most {MaxBytes / (1024 * 1024)} MiB, which the broker holds until a person decides.");
}
