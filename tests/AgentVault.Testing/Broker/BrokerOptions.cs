namespace AgentVault.Testing.Broker;

/// <summary>How a <see cref="BrokerProcess"/> is started.</summary>
public sealed record BrokerOptions
{
    /// <summary>Pass <c>--dev</c> (file store <c>local</c>, generated master key, private upstreams allowed). Default true.</summary>
    public bool Dev { get; init; } = true;

    /// <summary>Data directory; a fresh temporary one (deleted on dispose) when null.</summary>
    public string? DataDir { get; init; }

    /// <summary>Set as AGENT_VAULT_MASTER_PASSWORD for the server when not null.</summary>
    public string? MasterPassword { get; init; }

    /// <summary>
    /// A command the broker is started through, e.g. <c>unshare …</c> (see <see cref="PrivateDataDisk"/>): it gets the <c>dotnet</c>
    /// command line as its last arguments and must exec it, so that the process id stays the broker's. None when empty.
    /// </summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];

    /// <summary>Extra server arguments, e.g. <c>--plugins-dir</c>, <c>--resolve</c>, <c>--upstream-ca</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment for the server (null removes a variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Written to the server's stdin, then stdin is closed (for <c>--password-stdin</c>).</summary>
    public string? Stdin { get; init; }

    /// <summary>Deadline for the listening lines to appear.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives every output line as it arrives (e.g. xunit's ITestOutputHelper.WriteLine).</summary>
    public Action<string>? Log { get; init; }
}
