namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>One row of the request log page as served: its outcome class, its <c>data-*</c> attributes and its HTML.</summary>
internal sealed record LogRowHtml(string Outcome, IReadOnlyDictionary<string, string> Attributes, string Html);
