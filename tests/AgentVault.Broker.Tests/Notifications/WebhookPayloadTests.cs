using System.Text.Json;
using AgentVault.Broker.Model;
using AgentVault.Broker.Notifications;

namespace AgentVault.Broker.Tests.Notifications;

public sealed class WebhookPayloadTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 7, 18, 30, 5, TimeSpan.Zero);

    private static readonly NotificationEvent Created = new(
        NotificationEvents.ProposalCreated, "prp_123", "dev", "claude", "claude asks for api.stripe.com (stripe)", "/ui/proposals/prp_123");

    [Fact]
    public void Generic_HasTheEventFieldsInOrder_AndOmitsAbsentDecision()
    {
        var body = WebhookPayload.Build(NotificationFormats.Generic, Created, "https://vault.example.com/ui/proposals/prp_123", Time);

        Assert.Equal(
            """{"event":"proposal.created","id":"prp_123","vault":"dev","agent":"claude","summary":"claude asks for api.stripe.com (stripe)","link":"https://vault.example.com/ui/proposals/prp_123","time":"2026-12-07T18:30:05Z"}""",
            System.Text.Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Generic_CarriesDecisionAndDecidedBy_ForADecidedEvent()
    {
        var decided = Created with { Event = NotificationEvents.ProposalDecided, Decision = "approved", DecidedBy = "admin" };

        using var json = JsonDocument.Parse(WebhookPayload.Build(NotificationFormats.Generic, decided, "https://x.example/ui/proposals/prp_123", Time));

        Assert.Equal("approved", json.RootElement.GetProperty("decision").GetString());
        Assert.Equal("admin", json.RootElement.GetProperty("decided_by").GetString());
        Assert.Equal("proposal.decided", json.RootElement.GetProperty("event").GetString());
    }

    [Fact]
    public void Slack_IsOneTextField_WithTheSummaryAndASlackLink()
    {
        using var json = JsonDocument.Parse(WebhookPayload.Build(NotificationFormats.Slack, Created, "https://vault.example.com/ui/proposals/prp_123", Time));

        var property = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal("text", property.Name);
        Assert.Equal("[proposal.created] claude asks for api.stripe.com (stripe) <https://vault.example.com/ui/proposals/prp_123|Open in Agent Vault>", property.Value.GetString());
    }

    [Fact]
    public void Slack_EscapesControlCharacters_AndNamesTheDecision()
    {
        var decided = Created with
        {
            Event = NotificationEvents.ApprovalDecided, Summary = "claude: POST /a?x=1&y=<2>", Decision = "denied", DecidedBy = "admin",
        };

        using var json = JsonDocument.Parse(WebhookPayload.Build(NotificationFormats.Slack, decided, "https://v.example/ui/approvals?a=1|2", Time));

        Assert.Equal(
            "[approval.decided] claude: POST /a?x=1&amp;y=&lt;2&gt;: denied by admin <https://v.example/ui/approvals?a=1%7C2|Open in Agent Vault>",
            json.RootElement.GetProperty("text").GetString());
    }
}
