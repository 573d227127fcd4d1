namespace AgentVault.Testing.Broker;

/// <summary>How a <see cref="BrokerEnvironment"/> is started: the broker's host pins, trusted upstream CAs, flags and environment.</summary>
public sealed record BrokerEnvironmentOptions
{
    /// <summary>Subject name of the per-run upstream CA the environment creates (and the broker trusts with <c>--upstream-ca</c>).</summary>
    public string UpstreamCaName { get; init; } = "Agent Vault Test CA";

    /// <summary>Pass <c>--dev</c> (file store <c>local</c>, generated master key); default true. Without it, set <see cref="MasterPassword"/>.</summary>
    public bool Dev { get; init; } = true;

    /// <summary>Set as AGENT_VAULT_MASTER_PASSWORD for the server when not null.</summary>
    public string? MasterPassword { get; init; }

    /// <summary>Upstream host names pinned to 127.0.0.1 with <c>--resolve HOST:127.0.0.1</c>.</summary>
    public IEnumerable<string> Hosts { get; init; } = [];

    /// <summary>More CA PEM files the broker trusts (one <c>--upstream-ca</c> each), after the environment's own upstream CA.</summary>
    public IReadOnlyList<string> MoreUpstreamCaFiles { get; init; } = [];

    /// <summary>Extra server arguments (other pins, <c>--allow-network</c>, limits, <c>--log-level</c>, …).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment for the server (null removes a variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Sets <c>Logging__LogLevel__Default=Debug</c>, so leak checks cover every log line the broker can write.</summary>
    public bool DebugLog { get; init; }

    /// <summary>Receives every broker output line as it arrives (e.g. xunit's ITestOutputHelper.WriteLine).</summary>
    public Action<string>? Log { get; init; }
}
