namespace AgentVault.Plugins.SigV4;

/// <summary>An AWS access key pair with an optional session token; <see cref="ToString"/> shows the key id only.</summary>
public sealed class AwsCredentials
{
    public AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
    }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    public string? SessionToken { get; }

    /// <summary>When temporary credentials stop working (null for long-term keys).</summary>
    public DateTimeOffset? Expiration { get; init; }

    public override string ToString() => $"AwsCredentials({AccessKeyId}, session: {(SessionToken is null ? "no" : "yes")})";
}
