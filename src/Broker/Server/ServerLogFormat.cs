namespace AgentVault.Broker.Server;

/// <summary>How the server writes its own log to stderr (<c>--log-format</c>).</summary>
public enum ServerLogFormat
{
    /// <summary>Short lines on a terminal, single-line timestamped entries when redirected.</summary>
    Text,

    /// <summary>One JSON object per line (timestamp, level, category, message, state).</summary>
    Json,
}
