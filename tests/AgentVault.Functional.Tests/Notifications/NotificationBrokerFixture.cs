using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes;

namespace AgentVault.Functional.Tests.Notifications;

/// <summary>
/// A real broker (<c>server --dev</c>, <c>hooks.upstream.test</c> pinned to 127.0.0.1, the test CA trusted) with one HTTPS
/// webhook receiver and the hooks' secret in the file store. Each test configures its own hook (<see cref="AddHookAsync"/>),
/// so tests do not share paths on the receiver.
/// </summary>
public sealed class NotificationBrokerFixture : IAsyncLifetime
{
    /// <summary>The HMAC key's value; no request the receiver gets, and no server log line, may contain it.</summary>
    public const string Secret = "whsec-functional-SECRET-7c3e1f9a";

    private BrokerEnvironment? _environment;

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public BrokerProcess Broker => Environment.Process;

    public WebhookReceiver Receiver { get; private set; } = null!;

    /// <summary>The receiver's base URL under the pinned name, e.g. <c>https://hooks.upstream.test:41234</c>.</summary>
    public string ReceiverUrl => $"https://hooks.upstream.test:{Receiver.Port}";

    public async Task InitializeAsync()
    {
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "Notifications Test CA",
            Hosts = ["hooks.upstream.test"],
            DebugLog = true,
        });
        Receiver = Environment.Own(await WebhookReceiver.StartAsync(Environment.UpstreamCa));
        await Environment.PutSecretsAsync(("hook-secret", Secret));
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }

    /// <summary>Applies one <c>notifications:</c> entry (merged with the others) and returns its name.</summary>
    public async Task<string> AddHookAsync(string name, string url, string format = "generic", string secret = "local:hook-secret")
    {
        await Environment.ApplyAndGetTokensAsync(new JsonObject
        {
            ["notifications"] = new JsonArray(new JsonObject
            {
                ["name"] = name, ["url"] = url, ["secret"] = secret, ["format"] = format,
                ["events"] = new JsonArray("proposal.created", "approval.requested"),
            }),
        });
        return name;
    }

    /// <summary><c>POST /v1/notifications/{name}/test</c> (must answer 202); returns the delivery record.</summary>
    public async Task<JsonElement> SendTestAsync(string name)
    {
        using var api = Broker.CreateApiClient();
        using var response = await api.PostAsync(new Uri($"/v1/notifications/{name}/test", UriKind.Relative), null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 202, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls the delivery log (deadline 90 s) until delivery <paramref name="id"/> is delivered or failed; returns it.</summary>
    public async Task<JsonElement> WaitForOutcomeAsync(string id)
    {
        using var api = Broker.CreateApiClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        JsonElement record = default;
        while (DateTime.UtcNow < deadline)
        {
            var deliveries = await api.GetFromJsonAsync<JsonElement>(new Uri("/v1/notifications/deliveries", UriKind.Relative));
            record = deliveries.EnumerateArray().FirstOrDefault(d => d.GetProperty("id").GetString() == id);
            if (record.ValueKind == JsonValueKind.Object && record.GetProperty("status").GetString() is "delivered" or "failed")
            {
                return record.Clone();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"delivery {id} did not finish; last seen: {record}");
    }
}
