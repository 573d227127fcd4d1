using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// The JSON body of a delivery, built once per delivery (every attempt sends the same bytes). <c>generic</c>:
/// <c>{event, id, vault, agent, summary, link, decision?, decided_by?, time}</c>; <c>slack</c>: an incoming-webhook message
/// <c>{"text": …}</c> with the link in Slack's <c>&lt;url|label&gt;</c> form. Only the event's names and summary go in.
/// </summary>
internal static class WebhookPayload
{
    public static byte[] Build(string format, NotificationEvent notification, string link, DateTimeOffset time) =>
        format == NotificationFormats.Slack ? Slack(notification, link) : Generic(notification, link, time);

    public static byte[] Generic(NotificationEvent notification, string link, DateTimeOffset time)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event", notification.Event);
            json.WriteString("id", notification.Id);
            json.WriteString("vault", notification.Vault);
            json.WriteString("agent", notification.Agent);
            json.WriteString("summary", notification.Summary);
            json.WriteString("link", link);
            if (notification.Decision is { } decision)
            {
                json.WriteString("decision", decision);
            }

            if (notification.DecidedBy is { } decidedBy)
            {
                json.WriteString("decided_by", decidedBy);
            }

            json.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] Slack(NotificationEvent notification, string link)
    {
        var text = new StringBuilder()
            .Append('[').Append(Escape(notification.Event)).Append("] ")
            .Append(Escape(notification.Summary));
        if (notification.Decision is { } decision)
        {
            text.Append(": ").Append(Escape(decision));
            if (notification.DecidedBy is { } decidedBy)
            {
                text.Append(" by ").Append(Escape(decidedBy));
            }
        }

        // Slack reads <url|label> as a link; '|' and '>' would end it early, so they are percent-encoded in the URL.
        text.Append(" <").Append(link.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal))
            .Append("|Open in Agent Vault>");
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", text.ToString());
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // Slack's message formatting: &, < and > are control characters in text and must be escaped as HTML entities.
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
