using AgentVault.Broker.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace AgentVault.Broker.WebConsole;

internal static class ConsoleServiceCollectionExtensions
{
    /// <summary>
    /// The web console: Razor components rendered on the server, sessions in memory, antiforgery with keys that live only
    /// in memory (nothing about the console is written to disk; a restart ends sessions and stale forms are refused).
    /// </summary>
    public static IServiceCollection AddAgentVaultConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new InMemoryKeyRepository();
            options.XmlEncryptor = new NullXmlEncryptor();
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "agent_vault_antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<ConsoleHttpClient>();
        return services;
    }
}
