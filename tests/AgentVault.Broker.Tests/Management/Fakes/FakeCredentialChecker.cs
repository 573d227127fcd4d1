using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Reports every key of a vault ok except keys listed in <see cref="Failing"/>.</summary>
internal sealed class FakeCredentialChecker(InMemoryMetadata metadata) : ICredentialChecker
{
    public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<CredentialCheckResult>> CheckVaultAsync(string vault, CancellationToken cancellationToken)
    {
        IEnumerable<string> keys = metadata.Current.Config.Vaults?.Find(v => v.Name == vault)?.Credentials?.Keys ?? Enumerable.Empty<string>();
        return Task.FromResult<IReadOnlyList<CredentialCheckResult>>(
            [.. keys.Select(k => Failing.Contains(k) ? new CredentialCheckResult(k, false, $"store 'local': no secret for {k}") : new CredentialCheckResult(k, true, null))]);
    }
}
