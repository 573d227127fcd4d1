namespace AgentVault.Fuzz;

/// <summary>Credential references (<c>store:path?option=value#field</c>), operator input that names where a secret lives.</summary>
internal static class SecretsTargets
{
    public static void CredentialReference(byte[] data)
    {
        var text = FuzzInput.Text(data);
        if (Broker.Secrets.CredentialReference.TryParse(text, out var reference, out var error))
        {
            FuzzInvariantException.Check(Broker.Secrets.CredentialReference.IsStoreName(reference.Store), "accepted an invalid store name");
            _ = reference.ToString();
            return;
        }

        FuzzInvariantException.Check(error.Length > 0, "refused without a reason");
        try
        {
            Broker.Secrets.CredentialReference.Parse(text);
            throw new FuzzInvariantException("Parse accepted what TryParse refused");
        }
        catch (FormatException)
        {
            // Parse's documented refusal.
        }
    }
}
