using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentVault.Console.Tests;

/// <summary>
/// A <see cref="ConsoleBroker"/> with something on every page (a class fixture): in vault <c>dev</c> two credential
/// references to a secret in the <c>local</c> store and a bearer service besides the passthrough one, a scoped token, and
/// request-log records of a served and a refused request, and a webhook (<c>pages-hook</c>, on the echo upstream) with one
/// delivered test notification.
/// </summary>
public sealed class PopulatedConsoleBroker : IAsyncLifetime
{
    /// <summary>The secret's value: no page may show it.</summary>
    public const string Secret = "sk-console-pages-SECRET-a11y-6d1f";

    public const string RefusedHost = "unlisted.example.test";

    public const string HookName = "pages-hook";

    /// <summary>The service an agent proposed (pending, with a warning: it sends the existing API_KEY to a new host).</summary>
    public const string ProposedService = "pages-proposed";

    public ConsoleBroker Broker { get; } = new();

    /// <summary>The path of the served request in the log.</summary>
    public string ServedPath { get; } = "/echo/populated-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        var environment = Broker.Environment;
        await environment.PutSecretsAsync(("pages-api", Secret));
        using var api = environment.Process.CreateApiClient();
        await SendAsync(api, HttpMethod.Put, "/v1/vaults/dev/credentials", new JsonObject
        {
            ["API_KEY"] = "local:pages-api",
            ["SPARE_KEY"] = new JsonObject { ["ref"] = "local:pages-api", ["ttl"] = "30s" },
        });
        await SendAsync(api, HttpMethod.Put, "/v1/vaults/dev/services", new JsonObject
        {
            ["services"] = new JsonArray(new JsonObject
            {
                ["name"] = "bearer-api",
                ["host"] = "bearer.upstream.test",
                ["auth"] = new JsonObject { ["type"] = "bearer", ["token"] = "API_KEY" },
            }),
        });
        await SendAsync(api, HttpMethod.Post, "/v1/tokens", new JsonObject { ["vault"] = "dev", ["ttl"] = "1h", ["label"] = "pages-sandbox" });
        await SendAsync(api, HttpMethod.Post, "/v1/apply", new JsonObject
        {
            ["notifications"] = new JsonArray(new JsonObject
            {
                ["name"] = HookName,
                ["url"] = $"https://{ConsoleBroker.UpstreamHost}:{Broker.Upstream.Port}/echo/pages-hook",
                ["secret"] = "local:pages-api",
                ["events"] = new JsonArray("proposal.created", "approval.requested"),
            }),
        });
        await SendAsync(api, HttpMethod.Post, $"/v1/notifications/{HookName}/test", new JsonObject());
        using (var agent = environment.Process.CreateApiClient(admin: false))
        {
            agent.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Broker.AgentToken);
            await SendAsync(agent, HttpMethod.Post, "/v1/proposals", new JsonObject
            {
                ["vault"] = "dev",
                ["message"] = "I need the proposed API for the report.",
                ["services"] = new JsonArray(new JsonObject
                {
                    ["name"] = ProposedService,
                    ["host"] = "proposed.example.com",
                    ["auth"] = new JsonObject { ["type"] = "bearer", ["token"] = "API_KEY" },
                }),
            });
        }

        Assert.Equal(200, await Broker.RequestAsync(ServedPath));
        Assert.Equal(403, await Broker.RequestAsync("/refused", host: RefusedHost));
        await environment.WaitForLogAsync(r => r.TryGetProperty("host", out var host) && host.GetString()?.StartsWith(RefusedHost, StringComparison.Ordinal) == true, RefusedHost);
        await environment.WaitForLogAsync(r => r.GetProperty("path").GetString() == ServedPath, ServedPath);
    }

    public Task DisposeAsync() => Broker.DisposeAsync();

    private static async Task SendAsync(HttpClient api, HttpMethod method, string path, JsonNode body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        using var answer = await api.SendAsync(request);
        Assert.True(answer.IsSuccessStatusCode, $"{method} {path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }
}
