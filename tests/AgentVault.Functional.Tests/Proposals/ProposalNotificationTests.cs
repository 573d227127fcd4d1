using System.Text.Json;
using AgentVault.Testing.Fakes;

namespace AgentVault.Functional.Tests.Proposals;

/// <summary>
/// A proposal's life reaches the people who decide (SPEC §12): <c>proposal.created</c> and <c>proposal.decided</c> are
/// delivered signed to the configured webhook, with a link to the console page of the proposal and never a secret.
/// </summary>
[Collection(ProposalCollection.Name)]
public sealed class ProposalNotificationTests(ProposalFixture fixture)
{
    [Fact]
    public async Task CreatedAndRejected_AreDeliveredSigned_WithTheConsoleLink_AndNoSecret()
    {
        var id = await fixture.ProposeAsync("notify-me", "notify-me.example.com");
        var (status, _) = await fixture.PostAsync(fixture.Broker.Process.AdminToken, $"/v1/proposals/{id}/reject", new { reason = "not needed" });
        Assert.Equal(200, status);

        var created = await DeliveryAsync(id, "proposal.created");
        var decided = await DeliveryAsync(id, "proposal.decided");

        foreach (var (request, body) in new[] { created, decided })
        {
            Assert.True(WebhookReceiver.VerifySignature(request, ProposalFixture.HookSecret), "the signature must verify with the hook's secret");
            Assert.Equal(("dev", "claude"), (body.GetProperty("vault").GetString(), body.GetProperty("agent").GetString()));
            Assert.EndsWith("/ui/proposals/" + id, body.GetProperty("link").GetString(), StringComparison.Ordinal);
            foreach (var secret in new[] { ProposalFixture.HookSecret, ProposalFixture.ExistingSecret, fixture.Claude })
            {
                Assert.DoesNotContain(secret, request.BodyText + string.Join("\n", request.Headers.Values), StringComparison.Ordinal);
            }
        }

        Assert.Contains("claude asks vault dev for notify-me.example.com (notify-me)", created.Body.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(("rejected", "admin-token"), (decided.Body.GetProperty("decision").GetString(), decided.Body.GetProperty("decided_by").GetString()));
    }

    /// <summary>Waits (deadline 60 s) for the webhook of <paramref name="eventName"/> about proposal <paramref name="id"/>.</summary>
    private async Task<(WebhookReceiver.Received Request, JsonElement Body)> DeliveryAsync(string id, string eventName)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            foreach (var request in fixture.Hooks.On("/proposals"))
            {
                var body = JsonDocument.Parse(request.BodyText).RootElement.Clone();
                if (body.GetProperty("id").GetString() == id && body.GetProperty("event").GetString() == eventName)
                {
                    return (request, body);
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {eventName} webhook for {id} within 60 s");
            await Task.Delay(100);
        }
    }
}
