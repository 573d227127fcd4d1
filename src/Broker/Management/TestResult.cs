using System.Text.Json.Serialization;

namespace AgentVault.Broker.Management;

/// <summary>Answer of <c>POST /v1/stores/{name}/test</c>: ok, or the store's error message (never a secret).</summary>
internal sealed record TestResult(bool Ok, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
