namespace AgentVault.Plugins.Infisical;

/// <summary>
/// Renewing or revoking an Infisical lease needs its environment and folder besides the lease id, so the
/// <see cref="AgentVault.Abstractions.Secrets.SecretLease.Id"/> this store hands out is <c>{id}@{environment}:{folder}</c>.
/// </summary>
internal sealed record InfisicalLeaseId(string Id, string Environment, string Folder)
{
    public static bool TryParse(string text, out InfisicalLeaseId leaseId)
    {
        leaseId = new InfisicalLeaseId(string.Empty, string.Empty, "/");
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var colon = at < 0 ? -1 : text.IndexOf(':', at);
        if (at <= 0 || colon <= at + 1 || colon == text.Length - 1)
        {
            return false;
        }

        leaseId = new InfisicalLeaseId(text[..at], text[(at + 1)..colon], text[(colon + 1)..]);
        return true;
    }

    public override string ToString() => $"{Id}@{Environment}:{Folder}";
}
