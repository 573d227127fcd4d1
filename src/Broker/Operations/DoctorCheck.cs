namespace AgentVault.Broker.Operations;

/// <summary>One line of <c>agent-vault doctor</c>: <c>ok</c>, <c>warn</c> or <c>fail</c>, the check's name and a detail (never a secret).</summary>
internal sealed record DoctorCheck(string Status, string Name, string Detail)
{
    public const string Ok = "ok";
    public const string Warn = "warn";
    public const string Fail = "fail";
}
