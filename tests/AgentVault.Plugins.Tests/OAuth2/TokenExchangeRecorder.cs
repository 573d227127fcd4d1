using System.Collections.Concurrent;
using System.Text.Json;

namespace AgentVault.Plugins.Tests.OAuth2;

/// <summary>Records each token request's form parameters and the refresh token the endpoint answered with (if any).</summary>
internal sealed class TokenExchangeRecorder : DelegatingHandler
{
    private readonly ConcurrentQueue<Exchange> _exchanges = new();

    public IReadOnlyList<Exchange> Exchanges => [.. _exchanges];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Content is not null)
        {
            var body = await request.Content.ReadAsStringAsync(cancellationToken);
            foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                form[Uri.UnescapeDataString(pair[..eq].Replace('+', ' '))] = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        }

        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        string? issued = null;
        try
        {
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            issued = doc.RootElement.TryGetProperty("refresh_token", out var rt) ? rt.GetString() : null;
        }
        catch (JsonException)
        {
            issued = null;
        }

        _exchanges.Enqueue(new Exchange(form, (int)response.StatusCode, issued));
        return response;
    }

    internal sealed record Exchange(IReadOnlyDictionary<string, string> Form, int Status, string? IssuedRefreshToken);
}
