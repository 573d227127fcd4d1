using System.Net;
using System.Text.Json;
using AgentVault.Testing.Fakes;

namespace AgentVault.Functional.Tests.Notifications;

/// <summary>
/// Webhook delivery through the real broker process (docs/notifications.md): signed with the referenced secret, which never
/// travels; retried after a 500, not after a 400; refused by the network guard for a metadata address; never sent unsigned.
/// </summary>
public sealed class WebhookDeliveryTests(NotificationBrokerFixture fixture) : IClassFixture<NotificationBrokerFixture>
{
    [Fact]
    public async Task TestEvent_ArrivesSignedWithTheSecret_LinksToTheConsole_AndCarriesNoSecret()
    {
        var hook = await fixture.AddHookAsync("signed", $"{fixture.ReceiverUrl}/ok/signed");

        var queued = await fixture.SendTestAsync(hook);
        var received = Assert.Single(await fixture.Receiver.WaitForAsync("/ok/signed"));
        var outcome = await fixture.WaitForOutcomeAsync(queued.GetProperty("id").GetString()!);

        Assert.Equal("pending", queued.GetProperty("status").GetString());
        Assert.Equal("POST", received.Method);
        Assert.StartsWith("application/json", received.Headers["content-type"], StringComparison.Ordinal);
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", received.Headers["x-agent-vault-signature"]);
        Assert.True(WebhookReceiver.VerifySignature(received, NotificationBrokerFixture.Secret), received.Headers["x-agent-vault-signature"]);
        Assert.False(WebhookReceiver.VerifySignature(received, "some-other-secret"));
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("notification.test", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(queued.GetProperty("event_id").GetString(), body.RootElement.GetProperty("id").GetString());
        Assert.Equal(fixture.Broker.ApiUrl.AbsoluteUri.TrimEnd('/') + "/ui/notifications", body.RootElement.GetProperty("link").GetString());
        Assert.Equal("delivered", outcome.GetProperty("status").GetString());
        Assert.Equal(1, outcome.GetProperty("attempts").GetInt32());
        Assert.Equal(200, outcome.GetProperty("last_status").GetInt32());
        Assert.True(await MetricShownAsync("agentvault_notifications_delivered_total", "notification=\"signed\""), "no delivered count for the hook at /metrics");
        AssertNoSecretAnywhere();
    }

    [Fact]
    public async Task FirstAttemptAnswered500_IsRetried_AndTheDeliveryLogShowsTwoAttempts()
    {
        var hook = await fixture.AddHookAsync("flaky", $"{fixture.ReceiverUrl}/fail-once/flaky");

        var queued = await fixture.SendTestAsync(hook);
        var outcome = await fixture.WaitForOutcomeAsync(queued.GetProperty("id").GetString()!);
        var received = fixture.Receiver.On("/fail-once/flaky");

        Assert.Equal("delivered", outcome.GetProperty("status").GetString());
        Assert.Equal(2, outcome.GetProperty("attempts").GetInt32());
        Assert.Equal(200, outcome.GetProperty("last_status").GetInt32());
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].BodyText, received[1].BodyText);
        Assert.All(received, r => Assert.True(WebhookReceiver.VerifySignature(r, NotificationBrokerFixture.Secret)));
        Assert.True(await fixture.Broker.WaitForLogAsync("attempt 1 failed (HTTP 500); retrying in 00:00:01"), fixture.Broker.Stderr);
        Assert.DoesNotContain("receiver-error-body-must-not-be-logged", fixture.Broker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("/fail-once/flaky", fixture.Broker.Stderr, StringComparison.Ordinal);
        AssertNoSecretAnywhere();
    }

    [Fact]
    public async Task ClientError400_IsNotRetried()
    {
        var hook = await fixture.AddHookAsync("rejected", $"{fixture.ReceiverUrl}/status/400/rejected");

        var queued = await fixture.SendTestAsync(hook);
        var outcome = await fixture.WaitForOutcomeAsync(queued.GetProperty("id").GetString()!);

        Assert.Equal("failed", outcome.GetProperty("status").GetString());
        Assert.Equal(1, outcome.GetProperty("attempts").GetInt32());
        Assert.Equal(400, outcome.GetProperty("last_status").GetInt32());
        Assert.Equal("http_status", outcome.GetProperty("error").GetString());
        Assert.Single(fixture.Receiver.On("/status/400/rejected"));
    }

    [Fact]
    public async Task SlackFormat_SendsOneTextFieldWithTheLink()
    {
        var hook = await fixture.AddHookAsync("slack", $"{fixture.ReceiverUrl}/ok/slack", format: "slack");

        await fixture.SendTestAsync(hook);
        var received = Assert.Single(await fixture.Receiver.WaitForAsync("/ok/slack"));

        using var body = JsonDocument.Parse(received.Body);
        var text = Assert.Single(body.RootElement.EnumerateObject());
        Assert.Equal("text", text.Name);
        Assert.StartsWith("[notification.test] Test notification for slack from Agent Vault <", text.Value.GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/ui/notifications|Open in Agent Vault>", text.Value.GetString(), StringComparison.Ordinal);
        Assert.True(WebhookReceiver.VerifySignature(received, NotificationBrokerFixture.Secret));
    }

    [Fact]
    public async Task MetadataAddress_IsRefusedByTheNetworkGuard_AndNotRetried()
    {
        var hook = await fixture.AddHookAsync("metadata", "https://169.254.169.254/latest/hook");

        var queued = await fixture.SendTestAsync(hook);
        var outcome = await fixture.WaitForOutcomeAsync(queued.GetProperty("id").GetString()!);

        Assert.Equal("failed", outcome.GetProperty("status").GetString());
        Assert.Equal("destination_blocked", outcome.GetProperty("error").GetString());
        Assert.Equal(1, outcome.GetProperty("attempts").GetInt32());
        Assert.False(outcome.TryGetProperty("last_status", out _));
    }

    [Fact]
    public async Task SecretThatCannotBeResolved_SendsNothing_AndFailsAfterRetries()
    {
        var hook = await fixture.AddHookAsync("unsigned", $"{fixture.ReceiverUrl}/ok/unsigned", secret: "local:never-stored-hook-secret");

        var queued = await fixture.SendTestAsync(hook);
        var outcome = await fixture.WaitForOutcomeAsync(queued.GetProperty("id").GetString()!);

        Assert.Equal("failed", outcome.GetProperty("status").GetString());
        Assert.Equal("secret_unavailable", outcome.GetProperty("error").GetString());
        Assert.Equal(5, outcome.GetProperty("attempts").GetInt32());
        Assert.Empty(fixture.Receiver.On("/ok/unsigned"));
    }

    [Fact]
    public async Task TestOfAnUnknownHook_Is404()
    {
        using var api = fixture.Broker.CreateApiClient();

        using var response = await api.PostAsync(new Uri("/v1/notifications/nobody/test", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"code\":\"not_found\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Polls <c>/metrics</c> (deadline 15 s: the exporter may serve a cached scrape) for a line of <paramref name="name"/> with <paramref name="label"/>.</summary>
    private async Task<bool> MetricShownAsync(string name, string label)
    {
        using var api = fixture.Broker.CreateApiClient(admin: false);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        do
        {
            var metrics = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            if (metrics.Split('\n').Any(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }

    private void AssertNoSecretAnywhere()
    {
        foreach (var request in fixture.Receiver.Requests)
        {
            Assert.DoesNotContain(NotificationBrokerFixture.Secret, request.BodyText, StringComparison.Ordinal);
            Assert.All(request.Headers, h => Assert.DoesNotContain(NotificationBrokerFixture.Secret, h.Key + ": " + h.Value, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(NotificationBrokerFixture.Secret, fixture.Broker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(NotificationBrokerFixture.Secret, fixture.Broker.Stdout, StringComparison.Ordinal);
    }
}
