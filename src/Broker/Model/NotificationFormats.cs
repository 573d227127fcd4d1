namespace AgentVault.Broker.Model;

/// <summary>The body formats of a <see cref="NotificationDefinition"/>.</summary>
public static class NotificationFormats
{
    /// <summary>JSON with the event's fields (<c>event, id, vault, agent, summary, link, …</c>).</summary>
    public const string Generic = "generic";

    /// <summary>A Slack incoming-webhook message, <c>{"text": "…"}</c>.</summary>
    public const string Slack = "slack";

    public static IReadOnlyList<string> All { get; } = [Generic, Slack];

    /// <summary>The format a definition uses: its own, or <see cref="Generic"/> when none is set.</summary>
    public static string Of(NotificationDefinition definition) => definition.Format ?? Generic;
}
