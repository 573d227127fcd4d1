using AgentVault.Abstractions.Plugins;

namespace AgentVault.Abstractions.Auth;

/// <summary>Describes an auth scheme (the <c>auth.type</c> of a service) and creates it for one service.</summary>
public interface IAuthSchemeFactory
{
    /// <summary>The scheme name used in configuration (e.g. <c>bearer</c>, <c>oauth2-client-credentials</c>).</summary>
    string Name { get; }

    /// <summary>Settings whose values name credential keys of the vault (UPPER_SNAKE_CASE); the broker checks those keys exist.</summary>
    IReadOnlyCollection<string> CredentialSettings { get; }

    /// <summary>Checks the <c>auth</c> settings of a service (without <c>type</c>) and reports every problem.</summary>
    void Validate(PluginSettings settings, SettingsValidation validation);

    /// <summary>Creates the scheme for one service; called when the configuration changes, never per request.</summary>
    IAuthScheme Create(AuthSchemeContext context);
}
