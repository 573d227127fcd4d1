using AgentVault.Broker.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AgentVault.Broker.Tests.Policy;

public sealed class MethodOverrideTests
{
    [Theory]
    [InlineData("X-HTTP-Method-Override", "DELETE", "POST|DELETE")]
    [InlineData("x-http-method", "put", "POST|put")]
    [InlineData("X-Method-Override", " PATCH , DELETE ", "POST|PATCH|DELETE")]
    [InlineData("X-Method-Override", "", "POST")]
    [InlineData("X-Other", "DELETE", "POST")]
    public void Header_IsClaimed(string name, string value, string methods)
    {
        var headers = new HeaderDictionary { [name] = value };

        Assert.Equal(methods, string.Join('|', MethodOverride.Methods("POST", headers, string.Empty)));
    }

    [Fact]
    public void SeveralHeaderValues_AreAllClaimed()
    {
        var headers = new HeaderDictionary
        {
            ["X-HTTP-Method-Override"] = new StringValues(["PUT", "DELETE"]),
            ["X-HTTP-Method"] = "PATCH",
        };

        Assert.Equal("POST|PUT|DELETE|PATCH", string.Join('|', MethodOverride.Methods("POST", headers, string.Empty)));
    }

    [Theory]
    [InlineData("?_method=DELETE", "GET|DELETE")]
    [InlineData("?a=1&_METHOD=put&_method=patch", "GET|put|patch")]
    [InlineData("?%5Fmethod=DEL%45TE", "GET|DELETE")]
    [InlineData("?_method=+DELETE+", "GET|DELETE")]
    [InlineData("?x=1;_method=DELETE", "GET|DELETE")]
    [InlineData("?_method", "GET")]
    [InlineData("?my_method=DELETE", "GET")]
    [InlineData("?_method=%252545", "GET|%2545")]
    public void QueryParameter_IsClaimed(string query, string methods) =>
        Assert.Equal(methods, string.Join('|', MethodOverride.Methods("GET", new HeaderDictionary(), query)));
}
