namespace AgentVault.Functional.Tests.Stores;

/// <summary>What curl got through the proxy: the status code and the body.</summary>
internal sealed record ProxyResponse(int Status, string Body)
{
    public override string ToString() => $"{Status}: {Body}";
}
