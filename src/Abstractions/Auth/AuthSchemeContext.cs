using AgentVault.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace AgentVault.Abstractions.Auth;

/// <summary>Everything the broker hands an auth scheme when creating it for a service.</summary>
public sealed class AuthSchemeContext
{
    /// <summary>The vault the service belongs to.</summary>
    public required string VaultName { get; init; }

    /// <summary>The service name.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The <c>auth</c> settings of the service, without <c>type</c>.</summary>
    public required PluginSettings Settings { get; init; }

    /// <summary>The broker's outbound client for token endpoints (same TLS trust as upstream traffic); do not dispose.</summary>
    public required HttpClient HttpClient { get; init; }

    /// <summary>Logging; never log a token, a key or a credential value.</summary>
    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The clock; use it for every expiry computation.</summary>
    public required TimeProvider TimeProvider { get; init; }
}
