namespace AgentVault.Abstractions.Secrets;

/// <summary>A value read from a store: a whole value and/or named fields, with optional version, lease and expiry; <see cref="ToString"/> never reveals it.</summary>
public sealed class SecretValue
{
    /// <summary>Creates a secret value.</summary>
    /// <param name="value">The whole value (a string, or a JSON document whose fields <c>#field</c> selects); may be null when only fields exist.</param>
    /// <param name="fields">Named fields (e.g. KV data, a leased username and password); may be null.</param>
    public SecretValue(string? value, IReadOnlyDictionary<string, string>? fields = null)
    {
        Value = value;
        Fields = fields ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>The whole value, or null.</summary>
    public string? Value { get; }

    /// <summary>Named fields; empty when the secret has none.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The store's version identifier, when it has one.</summary>
    public string? Version { get; init; }

    /// <summary>The lease of a dynamic secret, when the store issued one.</summary>
    public SecretLease? Lease { get; init; }

    /// <summary>When the value stops being valid (lease end, token expiry); the broker refreshes shortly before.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Describes the shape only (field names, version), never the value.</summary>
    public override string ToString() =>
        $"SecretValue(fields: [{string.Join(", ", Fields.Keys)}], version: {Version ?? "-"}, lease: {(Lease is null ? "no" : "yes")})";
}
