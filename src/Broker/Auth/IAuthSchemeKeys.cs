using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary>
/// Broker-internal extension of a built-in <c>IAuthSchemeFactory</c>: lists the credential keys a service's settings use,
/// for schemes whose keys are not plain setting values (the templates of <c>custom</c>). Use <see cref="AuthSchemeKeys.Collect"/>.
/// </summary>
internal interface IAuthSchemeKeys
{
    IReadOnlyList<string> GetCredentialKeys(PluginSettings settings);
}
