using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Cli.Commands;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Cli;

/// <summary>A small client of the management API (docs/api.md): JSON in and out, problem+json mapped to <see cref="CliException"/>.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string? _tokenSource;

    private ApiClient(Uri baseAddress, string? token, string? tokenSource, TimeSpan timeout)
    {
        BaseAddress = baseAddress;
        _tokenSource = tokenSource;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = timeout,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("agent-vault-cli", VersionCommand.Version));
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri BaseAddress { get; }

    /// <summary>The address as a user wrote it (no trailing slash), for messages.</summary>
    public string Display => BaseAddress.AbsoluteUri.TrimEnd('/');

    /// <summary>A client authenticated with the admin token (fails before any request when there is none).</summary>
    public static ApiClient ForAdmin(TimeSpan? timeout = null)
    {
        var (token, source) = CliEnvironment.RequireAdminToken();
        return new ApiClient(CliEnvironment.ApiAddress(), token, source, timeout ?? TimeSpan.FromSeconds(100));
    }

    public static ApiClient WithToken(string token, string source) =>
        new(CliEnvironment.ApiAddress(), token, source, TimeSpan.FromSeconds(100));

    public static ApiClient Anonymous() => new(CliEnvironment.ApiAddress(), null, null, TimeSpan.FromSeconds(100));

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(method, path, body, null, cancellationToken);

    /// <summary>Sends JSON; <paramref name="ifMatch"/> (an entity tag such as <c>"42"</c>) makes a configuration write conditional on that version.</summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, string? ifMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(ModelJson.Options), Encoding.UTF8, "application/json");
        }

        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new CliException($"the broker at {Display} answered {method} /{path} with something that is not JSON");
        }
    }

    /// <summary>
    /// Sends JSON and returns the status and body whether it is a success or a problem, for exchanges in which some refusals
    /// are expected (polling a device sign-in); failures to reach the broker still become <see cref="CliException"/>.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> ExchangeAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(ModelJson.Options), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? parsed = null;
            try
            {
                parsed = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON: the status says enough.
            }

            return (response.StatusCode, parsed);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the broker at {Display}: {Describe(e)}");
        }
    }

    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request and returns a successful response (the caller disposes it); errors become <see cref="CliException"/>.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the broker at {Display}: {Describe(e)}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the broker at {Display} did not answer within {_http.Timeout.TotalSeconds:0}s");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new CliException(ProblemFormatter.Format(response.StatusCode, text, _tokenSource, response.Headers.ETag?.Tag));
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Describe(HttpRequestException e)
    {
        if (e.InnerException is SocketException socket)
        {
            return socket.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused (is `agent-vault server` running?)" : socket.Message;
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name does not resolve",
            HttpRequestError.SecureConnectionError => "TLS handshake failed: " + (e.InnerException?.Message ?? e.Message),
            _ => e.InnerException?.Message ?? e.Message,
        };
    }

    /// <summary>Whether the status is the one a missing resource gives (for commands that treat it specially).</summary>
    public static bool IsNotFound(HttpStatusCode status) => status == HttpStatusCode.NotFound;
}
