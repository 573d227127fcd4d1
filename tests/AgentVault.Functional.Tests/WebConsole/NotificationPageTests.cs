using System.Net;
using AgentVault.Functional.Tests.Notifications;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// The notifications page (<c>/ui/notifications</c>) against the real broker: it lists the hooks by destination only (a
/// webhook URL's path can be a credential) and never the secret, its "Send test" form delivers a signed test event and the
/// delivery shows up in the page's log, and the form needs the antiforgery token.
/// </summary>
public sealed class NotificationPageTests(NotificationBrokerFixture fixture) : IClassFixture<NotificationBrokerFixture>
{
    [Fact]
    public async Task Page_ListsTheHookByDestination_AndTheNavLinksToIt()
    {
        await fixture.AddHookAsync("page-listed", $"{fixture.ReceiverUrl}/ok/T000/B000/path-is-a-credential");
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/notifications");

        Assert.Contains("<tr data-notification=\"page-listed\">", page, StringComparison.Ordinal);
        Assert.Contains($"<code>{fixture.ReceiverUrl}/…</code>", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("path-is-a-credential", page, StringComparison.Ordinal);
        Assert.DoesNotContain("hook-secret", page, StringComparison.Ordinal);
        Assert.Contains("<td>proposal.created, approval.requested</td>", page, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"/ui/notifications\">Notifications</a></li>", await console.GetPageAsync("/ui"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTestForm_DeliversASignedEvent_AndThePageShowsTheDelivery()
    {
        await fixture.AddHookAsync("page-test", $"{fixture.ReceiverUrl}/ok/page-test");
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/notifications");
        using var posted = await console.PostFormAsync("/ui/notifications", page, new Dictionary<string, string> { ["_handler"] = "test-page-test" });
        var answer = await posted.Content.ReadAsStringAsync();
        var received = Assert.Single(await fixture.Receiver.WaitForAsync("/ok/page-test"));
        var delivery = await fixture.WaitForOutcomeAsync(DeliveryId(answer));
        var after = await console.GetPageAsync("/ui/notifications");

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("data-test=\"pending\"", answer, StringComparison.Ordinal);
        Assert.True(WebhookReceiver.VerifySignature(received, NotificationBrokerFixture.Secret));
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Contains($"<tr data-delivery=\"{DeliveryId(answer)}\" data-status=\"delivered\">", after, StringComparison.Ordinal);
        Assert.Contains("<td>HTTP 200</td>", after, StringComparison.Ordinal);
        Assert.DoesNotContain(NotificationBrokerFixture.Secret, answer + after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTestPostedWithoutTheAntiforgeryToken_IsRefused_AndSendsNothing()
    {
        await fixture.AddHookAsync("page-forged", $"{fixture.ReceiverUrl}/ok/page-forged");
        using var console = await SignedInAsync();
        await console.GetPageAsync("/ui/notifications");

        using var forged = await console.Http.PostAsync("/ui/notifications", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "test-page-forged" }));
        using var api = fixture.Broker.CreateApiClient();
        var deliveries = await api.GetStringAsync(new Uri("/v1/notifications/deliveries", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain("\"notification\":\"page-forged\"", deliveries, StringComparison.Ordinal);
        Assert.Empty(fixture.Receiver.On("/ok/page-forged"));
    }

    private static string DeliveryId(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, "queued as delivery (dlv_[0-9a-f]+)");
        Assert.True(match.Success, html);
        return match.Groups[1].Value;
    }

    private async Task<ConsoleClient> SignedInAsync()
    {
        var console = new ConsoleClient(fixture.Broker.ApiUrl);
        using var signIn = await console.SignInAsync(fixture.Broker.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return console;
    }
}
