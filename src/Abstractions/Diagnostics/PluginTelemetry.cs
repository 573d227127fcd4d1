using System.Diagnostics;

namespace AgentVault.Abstractions.Diagnostics;

/// <summary>
/// Where a plugin reports its own spans so that they appear in the broker's traces (<c>--otlp-endpoint</c>), nested under
/// the proxied request that caused them. The broker listens to <see cref="SourceName"/>; with no listener every start
/// returns null and costs nothing. Span names and attributes name the work, never a value: no token, secret, header or body.
/// </summary>
public static class PluginTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> plugins report on.</summary>
    public const string SourceName = "AgentVault.Plugins";

    /// <summary>The span of one token mint (an OAuth token request, an installation token, a lease): <c>token.mint</c>.</summary>
    public const string MintSpan = "token.mint";

    /// <summary>The attribute naming what was minted (e.g. <c>client-credentials</c>).</summary>
    public const string GrantAttribute = "agent_vault.mint.grant";

    /// <summary>The source plugins start their spans on.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Starts the span of a token mint, a child of the current span; null when nobody listens. Dispose it when the mint ends.</summary>
    /// <param name="grant">What is minted, e.g. <c>client-credentials</c>: a name, never a value.</param>
    public static Activity? StartMint(string grant)
    {
        var activity = Source.StartActivity(MintSpan, ActivityKind.Internal);
        activity?.SetTag(GrantAttribute, grant);
        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with the exception's type name only (a message may quote an upstream's answer).</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
    }
}
