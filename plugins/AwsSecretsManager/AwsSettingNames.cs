namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>The setting names of an <c>aws-secrets-manager</c> store.</summary>
internal static class AwsSettingNames
{
    public const string Region = "region";
    public const string Endpoint = "endpoint";
    public const string StsEndpoint = "sts_endpoint";
    public const string AccessKeyId = "access_key_id";
    public const string SecretAccessKey = "secret_access_key";
    public const string SessionToken = "session_token";

    public static readonly string[] Secrets = [AccessKeyId, SecretAccessKey, SessionToken];

    public static readonly string[] All = [Region, Endpoint, StsEndpoint, AccessKeyId, SecretAccessKey, SessionToken];
}
