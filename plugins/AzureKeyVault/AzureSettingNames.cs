namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>The setting names of an <c>azure-key-vault</c> store.</summary>
internal static class AzureSettingNames
{
    public const string VaultUrl = "vault_url";
    public const string Auth = "auth";
    public const string Method = "auth.method";
    public const string TenantId = "auth.tenant_id";
    public const string ClientId = "auth.client_id";
    public const string ClientSecret = "auth.client_secret";
    public const string TokenFile = "auth.token_file";
    public const string AuthorityHost = "authority_host";
    public const string DisableChallengeResourceVerification = "disable_challenge_resource_verification";
    public const string DisableInstanceDiscovery = "disable_instance_discovery";

    public const string ClientSecretMethod = "client-secret";
    public const string ManagedIdentityMethod = "managed-identity";
    public const string WorkloadIdentityMethod = "workload-identity";

    public static readonly string[] TopLevel =
        [VaultUrl, Auth, AuthorityHost, DisableChallengeResourceVerification, DisableInstanceDiscovery];

    public static readonly string[] AuthKeys = ["method", "tenant_id", "client_id", "client_secret", "token_file"];

    public static readonly string[] Methods = [ClientSecretMethod, ManagedIdentityMethod, WorkloadIdentityMethod];
}
