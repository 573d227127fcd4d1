using AgentVault.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace AgentVault.Abstractions.Secrets;

/// <summary>Everything the broker hands a store instance when creating it.</summary>
public sealed class SecretStoreContext
{
    /// <summary>The configured store name (e.g. <c>hcv</c>).</summary>
    public required string StoreName { get; init; }

    /// <summary>The store's settings as configured; secret-bearing settings hold references, resolve them with <see cref="Bootstrap"/>.</summary>
    public required PluginSettings Settings { get; init; }

    /// <summary>Resolves <c>env:</c>, <c>file:</c> and <c>store:path#field</c> references of bootstrap secrets, read before every use so rotation works.</summary>
    public required IBootstrapSecretResolver Bootstrap { get; init; }

    /// <summary>The broker's outbound client: upstream TLS trust, <c>--resolve</c> and proxy settings applied; do not dispose.</summary>
    public required HttpClient HttpClient { get; init; }

    /// <summary>Logging; never log a secret, a token or a reference's resolved value.</summary>
    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The clock; use it for every expiry computation.</summary>
    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The broker's data directory (for stores that keep a local file).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Encrypts data at rest with the broker's master key; null when no master key is configured.</summary>
    public IAtRestProtector? Protector { get; init; }
}
