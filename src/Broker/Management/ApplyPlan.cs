using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>The outcome of merging an apply file into the current configuration; items read <c>store/hcv</c>, <c>service/dev/github</c>, …</summary>
internal sealed record ApplyPlan(
    ConfigDocument Document,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> Updated,
    IReadOnlyList<string> Deleted,
    IReadOnlyList<string> CreatedAgents,
    IReadOnlyList<string> DeletedAgents,
    bool Changed);
