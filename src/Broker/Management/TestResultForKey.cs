using System.Text.Json.Serialization;

namespace AgentVault.Broker.Management;

/// <summary>
/// One line of <c>POST /v1/vaults/{v}/credentials/check</c>: key, ok, the error (null when ok), and warnings from the auth
/// schemes that use the key (e.g. a stale refresh token; empty when none); never a value.
/// </summary>
internal sealed record TestResultForKey(string Key, bool Ok, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error, IReadOnlyList<string> Warnings);
