namespace AgentVault.Broker.Sinks;

/// <summary>Where an <c>--audit-sink</c> sends its records.</summary>
internal enum SinkKind
{
    /// <summary><c>file:PATH</c>: JSON lines, size-rotated.</summary>
    File,

    /// <summary><c>syslog+tcp://HOST:PORT</c>: RFC 5424 messages, octet-counted (RFC 6587), plain TCP.</summary>
    SyslogTcp,

    /// <summary><c>syslog+tls://HOST:PORT</c>: the same over TLS, verified against the system store and <c>--upstream-ca</c>.</summary>
    SyslogTls,
}
