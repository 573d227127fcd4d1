using AgentVault.Abstractions.Secrets;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>Builds the Entra ID credential of a store from its <c>auth</c> settings; every call goes through the broker's client.</summary>
internal static class AzureCredentialFactory
{
    public static TokenCredential Create(SecretStoreContext context, HttpClientTransport transport)
    {
        var settings = context.Settings;
        var authorityHost = AzureKeyVaultStoreFactory.ParseHttpsUrl(settings.GetString(AzureSettingNames.AuthorityHost));
        var disableDiscovery = AzureKeyVaultStoreFactory.Flag(settings, AzureSettingNames.DisableInstanceDiscovery);
        var tenantId = settings.GetString(AzureSettingNames.TenantId);
        var clientId = settings.GetString(AzureSettingNames.ClientId);

        switch (settings.GetString(AzureSettingNames.Method))
        {
            case AzureSettingNames.ClientSecretMethod:
                var secretReference = settings.GetString(AzureSettingNames.ClientSecret)
                    ?? throw Invalid("auth.client_secret is required by method client-secret");
                if (string.IsNullOrEmpty(tenantId) || string.IsNullOrEmpty(clientId))
                {
                    throw Invalid("auth.tenant_id and auth.client_id are required by method client-secret");
                }

                return new RotatingClientSecretCredential(
                    ct => context.Bootstrap.ResolveAsync(secretReference, ct),
                    secret =>
                    {
                        var options = new ClientSecretCredentialOptions { Transport = transport, DisableInstanceDiscovery = disableDiscovery };
                        if (authorityHost is not null)
                        {
                            options.AuthorityHost = authorityHost;
                        }

                        return new ClientSecretCredential(tenantId, clientId, secret.Trim(), options);
                    });

            case AzureSettingNames.WorkloadIdentityMethod:
                var workload = new WorkloadIdentityCredentialOptions { Transport = transport, DisableInstanceDiscovery = disableDiscovery };
                if (!string.IsNullOrEmpty(tenantId))
                {
                    workload.TenantId = tenantId;
                }

                if (!string.IsNullOrEmpty(clientId))
                {
                    workload.ClientId = clientId;
                }

                if (settings.GetString(AzureSettingNames.TokenFile) is { Length: > 0 } tokenFile)
                {
                    workload.TokenFilePath = tokenFile;
                }

                if (authorityHost is not null)
                {
                    workload.AuthorityHost = authorityHost;
                }

                return new WorkloadIdentityCredential(workload);

            case AzureSettingNames.ManagedIdentityMethod:
                var identity = string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId);
                return new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(identity) { Transport = transport });

            default:
                throw Invalid("auth.method must be client-secret, managed-identity or workload-identity");
        }
    }

    private static SecretStoreException Invalid(string message) => new(SecretErrorCategory.InvalidConfiguration, message);
}
