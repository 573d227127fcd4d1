namespace AgentVault.Testing.Fakes.Azure;

/// <summary>One version of a secret held by <see cref="FakeAzureKeyVault"/>.</summary>
public sealed record FakeAzureSecret(string Name, string Version, string Value, DateTimeOffset Created, bool Enabled = true);
