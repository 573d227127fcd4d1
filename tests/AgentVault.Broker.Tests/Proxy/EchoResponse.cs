using System.Text.Json;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>What the test upstream's echo endpoint saw.</summary>
internal sealed record EchoResponse(string Method, string Path, string? Query, string Protocol, Dictionary<string, string> Headers, string Body)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<EchoResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<EchoResponse>(text, Options)!;
    }

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}
