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
        using var outgoing = new HttpRequestMessage(HttpMethod.Post, "https://api.example.com/") { Content = new ByteArrayContent([1]) };
        outgoing.Headers.TryAddWithoutValidation(header, "value");

        RequestHeaderCleaner.Clean(context.Request, outgoing, ["X-Api-Key", "Content-Type"]);

        Assert.Equal(kept, outgoing.Headers.Contains(header));
    }

    [Fact]
    public void SchemeHeaderOnContent_IsRemovedWithoutThrowing()
    {
        var context = new DefaultHttpContext();
        using var outgoing = new HttpRequestMessage(HttpMethod.Post, "https://api.example.com/") { Content = new StringContent("x") };

        RequestHeaderCleaner.Clean(context.Request, outgoing, ["Authorization", "Content-Type"]);

        Assert.Null(outgoing.Content.Headers.ContentType);
    }
}
