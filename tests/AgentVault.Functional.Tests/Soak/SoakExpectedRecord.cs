namespace AgentVault.Functional.Tests.Soak;

/// <summary>The request-log record a request that got an answer from the broker must leave.</summary>
internal readonly record struct SoakExpectedRecord(string Agent, string Vault, int Status);
