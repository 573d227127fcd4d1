using AgentVault.Broker.Forwarding;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Tests.Forwarding;

public sealed class RequestHeaderCleanerTests
{
    [Theory]
    [InlineData("Proxy-Authorization", false)]
    [InlineData("proxy-anything", false)]
    [InlineData("X-Private", false)]
    [InlineData("X-Api-Key", false)]
    [InlineData("x-api-key", false)]
    [InlineData("Host", false)]
    [InlineData("X-Kept", true)]
    [InlineData("Accept", true)]
    public void Clean_RemovesWhatTheAgentMustNotControl(string header, bool kept)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Connection = "keep-alive, X-Private";
        using var outgoing = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/");
        outgoing.Headers.TryAddWithoutValidation(header, "value");

        RequestHeaderCleaner.Clean(context.Request, outgoing, ["X-Api-Key"]);

        Assert.Equal(kept, outgoing.Headers.Contains(header));
    }
}
