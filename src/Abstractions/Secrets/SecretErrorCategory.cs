namespace AgentVault.Abstractions.Secrets;

/// <summary>Why a store operation failed; the broker decides caching and status from it.</summary>
public enum SecretErrorCategory
{
    /// <summary>The path or field does not exist (negatively cached for a short time).</summary>
    NotFound,

    /// <summary>The store refused the broker's identity or permissions.</summary>
    AccessDenied,

    /// <summary>The store could not be reached or failed; a cached value may be served until <c>max_stale</c>.</summary>
    Unavailable,

    /// <summary>The store's settings are wrong (bad URL, missing setting, unresolvable bootstrap reference).</summary>
    InvalidConfiguration,
}
