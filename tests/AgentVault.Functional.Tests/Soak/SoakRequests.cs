using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// The requests an agent of the soak makes, each checked on the agent's side: status, the vault whose credential reached
/// the upstream (<see cref="SoakUpstream.CredentialVaultHeader"/>), the path answered (<see cref="SoakUpstream.PathHeader"/>),
/// the HTTP version, and the body (events of a stream, hash of an upload, WebSocket echoes).
/// </summary>
internal static class SoakRequests
{
    public const int WebSocketMessages = 5;

    /// <summary>The detail of a refusal of the CONNECT itself: its request-log record (method CONNECT, no path) cannot be matched to the request.</summary>
    public const string AtConnect = "at CONNECT";

    public static async Task<SoakResult> GetAsync(HttpClient client, Uri uri, SoakCall call, bool newConnection, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, uri, client);
        request.Headers.ConnectionClose = newConnection ? true : null;
        return await SendAsync(client, request, call, async (response, ct) =>
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            return body == "ok " + call.Seq ? null : "body " + Clip(body);
        }, cancellationToken);
    }

    public static async Task<SoakResult> StreamAsync(HttpClient client, Uri uri, SoakCall call, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, uri, client);
        return await SendAsync(client, request, call, async (response, ct) =>
        {
            var expected = string.Concat(Enumerable.Range(0, SoakUpstream.StreamEvents).Select(i => SoakUpstream.Event(call.Seq, i)));
            var body = await response.Content.ReadAsStringAsync(ct);
            return body == expected ? null : "stream " + Clip(body);
        }, cancellationToken);
    }

    /// <summary>POSTs <paramref name="body"/> (its first bytes overwritten with the request number, so every upload differs).</summary>
    public static async Task<SoakResult> UploadAsync(HttpClient client, Uri uri, SoakCall call, byte[] body, CancellationToken cancellationToken)
    {
        BitConverter.TryWriteBytes(body, call.Seq);
        var expected = SoakUpstream.UploadAnswer(body.Length, SHA256.HashData(body));
        using var request = Request(HttpMethod.Post, uri, client);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(client, request, call, async (response, ct) =>
        {
            var answer = await response.Content.ReadAsStringAsync(ct);
            return answer == expected ? null : "upload answered " + Clip(answer);
        }, cancellationToken);
    }

    /// <summary>A WebSocket session through <paramref name="invoker"/>'s proxy (HTTP/1.1 upgrade or HTTP/2 extended CONNECT): a few echoes, then close.</summary>
    public static async Task<SoakResult> WebSocketAsync(HttpClient invoker, Uri uri, SoakCall call, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = invoker.DefaultRequestVersion;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", "Bearer agent-dummy");
        try
        {
            await socket.ConnectAsync(uri, invoker, cancellationToken);
        }
        catch (WebSocketException ex)
        {
            return socket.HttpStatusCode switch
            {
                HttpStatusCode.ProxyAuthenticationRequired => new SoakResult(SoakOutcome.AuthRefused, 407),
                HttpStatusCode.TooManyRequests => new SoakResult(SoakOutcome.LimitRefused, 429, "websocket", TimeSpan.FromSeconds(1)),
                _ => ex.InnerException is HttpRequestException inner ? FromException(inner) : SoakResult.Failed($"websocket: {ex.Message} ({(int)socket.HttpStatusCode})"),
            };
        }
        catch (HttpRequestException ex)
        {
            return FromException(ex);
        }

        var status = (int)socket.HttpStatusCode;
        var headers = socket.HttpResponseHeaders ?? new Dictionary<string, IEnumerable<string>>();
        var mismatch = CheckEcho(Header(headers, SoakUpstream.CredentialVaultHeader), Header(headers, SoakUpstream.PathHeader), call);
        if (mismatch is not null)
        {
            return SoakResult.Failed("websocket " + mismatch, status);
        }

        var buffer = new byte[256];
        for (var i = 0; i < WebSocketMessages; i++)
        {
            var text = $"{call.Seq}:{i}";
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            var echo = Encoding.UTF8.GetString(buffer, 0, received.Count);
            if (!received.EndOfMessage || echo != "echo:" + text)
            {
                return SoakResult.Failed($"websocket echoed '{Clip(echo)}' for '{text}'", status);
            }
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
        return SoakResult.Ok(status);
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, HttpClient client)
    {
        var request = new HttpRequestMessage(method, uri) { Version = client.DefaultRequestVersion, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        // What an agent holds instead of the secret; the broker must replace it.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "agent-dummy");
        return request;
    }

    private static async Task<SoakResult> SendAsync(HttpClient client, HttpRequestMessage request, SoakCall call,
        Func<HttpResponseMessage, CancellationToken, Task<string?>> checkBody, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return await RefusalAsync(response, cancellationToken);
            }

            if (response.Version != request.Version)
            {
                return SoakResult.Failed($"answered over HTTP/{response.Version} for HTTP/{request.Version}", status);
            }

            var mismatch = CheckEcho(Header(response.Headers, SoakUpstream.CredentialVaultHeader), Header(response.Headers, SoakUpstream.PathHeader), call)
                ?? await checkBody(response, cancellationToken);
            return mismatch is null ? SoakResult.Ok(status) : SoakResult.Failed(mismatch, status);
        }
        catch (HttpRequestException ex)
        {
            return FromException(ex);
        }
    }

    private static async Task<SoakResult> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var code = response.Headers.TryGetValues("X-Agent-Vault-Error", out var values) ? values.FirstOrDefault() : null;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (status, code) switch
        {
            (407, "proxy_auth_required") => new SoakResult(SoakOutcome.AuthRefused, status),
            (429, "rate_limited") when body.Contains("failed proxy authentications", StringComparison.Ordinal) => new SoakResult(SoakOutcome.AuthRefused, status, "auth throttle"),
            (429, "rate_limited") => new SoakResult(SoakOutcome.LimitRefused, status, null, response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)),
            (403, "rule_denied") => new SoakResult(SoakOutcome.RuleDenied, status),
            _ => SoakResult.Failed($"{status} {code}: {Clip(body)}", status),
        };
    }

    // A refusal of the CONNECT itself surfaces as an exception (the tunnel was never opened).
    private static SoakResult FromException(HttpRequestException ex)
    {
        if (ex.HttpRequestError == HttpRequestError.ProxyTunnelError)
        {
            if (ex.Message.Contains("407", StringComparison.Ordinal))
            {
                return new SoakResult(SoakOutcome.AuthRefused, 407, AtConnect);
            }

            // The agent's rate limit (or, for a token being revoked, the auth throttle): the body is not readable here.
            if (ex.Message.Contains("429", StringComparison.Ordinal))
            {
                return new SoakResult(SoakOutcome.LimitRefused, 429, AtConnect, TimeSpan.FromSeconds(1));
            }
        }

        return SoakResult.Failed($"{ex.HttpRequestError}: {ex.Message}");
    }

    private static string? CheckEcho(string? credentialVault, string? path, SoakCall call)
    {
        if (credentialVault != call.Vault)
        {
            return $"the upstream received the credential of '{credentialVault}' for vault '{call.Vault}'";
        }

        return path == call.Path ? null : $"answer for '{path}' to the request '{call.Path}'";
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string? Header(IReadOnlyDictionary<string, IEnumerable<string>> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) is { Value: { } values } ? string.Join(",", values) : null;

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
