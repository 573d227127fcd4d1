using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.WebConsole;

/// <summary>
/// The console's way to read and change anything: the management API itself, called over the connection's own listener
/// with the signed-in person's session token. So a change made in the console has exactly the API's validation, versioned
/// writes and (later) role checks; there is no second write path.
/// </summary>
internal sealed class ConsoleApi
{
    private readonly HttpClient _client;
    private readonly Uri _base;
    private readonly string _token;

    private ConsoleApi(HttpClient client, Uri @base, string token)
    {
        _client = client;
        _base = @base;
        _token = token;
    }

    /// <summary>The API as the session of <paramref name="context"/> (which the console gate has checked) sees it.</summary>
    public static ConsoleApi For(HttpContext context)
    {
        var token = context.Items[ConsoleGate.TokenItem] as string ?? throw new InvalidOperationException("no console session on this request");
        var local = context.Connection.LocalIpAddress ?? IPAddress.Loopback;
        if (local.Equals(IPAddress.Any) || local.Equals(IPAddress.IPv6Any))
        {
            local = IPAddress.Loopback;
        }

        var host = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !local.IsIPv4MappedToIPv6 ? $"[{local}]" : local.MapToIPv4().ToString();
        var client = context.RequestServices.GetRequiredService<ConsoleHttpClient>().Client;
        return new ConsoleApi(client, new Uri($"http://{host}:{context.Connection.LocalPort}/"), token);
    }

    public async Task<ConsoleApiAnswer> GetAsync(string path, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ConsoleApiAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync(method, path, body, null, cancellationToken);

    /// <summary>Sends with <c>If-Match: <paramref name="ifMatch"/></c> when given (an <see cref="ConsoleApiAnswer.ETag"/> of an earlier answer).</summary>
    public async Task<ConsoleApiAnswer> SendAsync(HttpMethod method, string path, object? body, string? ifMatch, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: ModelJson.Options);
        }

        using var response = await _client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.Ordinal))
        {
            json = JsonDocument.Parse(text).RootElement.Clone();
        }

        return new ConsoleApiAnswer(response.StatusCode, json) { ETag = response.Headers.ETag?.Tag };
    }

    /// <summary>Opens the API's live request-log stream (server-sent events) for relaying to the browser.</summary>
    public async Task<HttpResponseMessage> OpenLogStreamAsync(string query, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "v1/logs" + query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
