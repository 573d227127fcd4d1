namespace AgentVault.Broker.Model;

/// <summary>
/// A webhook of <c>notifications:</c> (SPEC §12): where events are POSTed, in which body format, signed with which secret.
/// The secret is a reference (<c>store:path[#field]</c>), resolved by the broker when it signs; the document never holds its value.
/// </summary>
public sealed record NotificationDefinition
{
    public required string Name { get; init; }

    /// <summary>An absolute <c>https://</c> URL (<c>http://</c> only to a loopback host).</summary>
    public required string Url { get; init; }

    /// <summary>Reference to the HMAC key of the <c>X-Agent-Vault-Signature</c> header.</summary>
    public required string Secret { get; init; }

    /// <summary><c>generic</c> (the default when null) or <c>slack</c>; see <see cref="NotificationFormats"/>.</summary>
    public string? Format { get; init; }

    /// <summary>The events this hook receives (<see cref="NotificationEventNames.Subscribable"/>).</summary>
    public List<string>? Events { get; init; }
}
