using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>One sample of the broker process: when, its figures, and how many requests had been answered by then.</summary>
internal readonly record struct SoakSample(TimeSpan At, ProcessStats Stats, long Answered);
