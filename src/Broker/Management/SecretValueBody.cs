namespace AgentVault.Broker.Management;

/// <summary>Body of <c>PUT /v1/stores/{name}/secrets/{secret}</c>; <see cref="ToString"/> never shows the value.</summary>
internal sealed record SecretValueBody
{
    public string? Value { get; init; }

    public override string ToString() => "SecretValueBody { Value = *** }";
}
