namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// One request of the soak: who sends it (agent, vault), its number (unique in the run) and kind. The path carries all of
/// it, so the upstream can tell which credential it should have received and the request log can be matched record by record.
/// </summary>
internal sealed record SoakCall(string Agent, string Vault, long Seq, string Kind)
{
    /// <summary><c>/soak/VAULT/AGENT/KIND/SEQ</c>.</summary>
    public string Path => $"/soak/{Vault}/{Agent}/{Kind}/{Seq}";

    /// <summary>The number of a soak path (its last segment), or -1 when <paramref name="path"/> is not one.</summary>
    public static long SeqOf(string? path)
    {
        if (path is null || !path.StartsWith("/soak/", StringComparison.Ordinal))
        {
            return -1;
        }

        return long.TryParse(path.AsSpan(path.LastIndexOf('/') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq) ? seq : -1;
    }
}
