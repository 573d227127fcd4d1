using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Tests.Management;

public sealed class JsonBodyTests
{
    // Fuzz crash inputs of the config target: invalid UTF-8 inside a free-form member (auth) passed the reader and threw
    // InvalidOperationException in validation, a 500; inside a typed member it was already a 400.
    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'u', (byte)'t', (byte)'h', (byte)'"', (byte)':', (byte)'{', (byte)'"', (byte)'t', (byte)'"', (byte)':', (byte)'"', (byte)'\\', (byte)'u', (byte)'d', (byte)'c', (byte)'0', (byte)'0', (byte)'"', (byte)'}', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'u', (byte)'t', (byte)'h', (byte)'"', (byte)':', (byte)'{', (byte)'"', (byte)'t', (byte)'"', (byte)':', (byte)'"', 0x8C, (byte)'"', (byte)'}', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'s', (byte)'t', (byte)'o', (byte)'r', (byte)'e', (byte)'s', (byte)'"', (byte)':', (byte)'[', (byte)'{', (byte)'"', (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'"', (byte)':', (byte)'"', 0x80, (byte)'"', (byte)'}', (byte)']', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0x9B, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    public async Task InvalidUtf8InAString_IsABadRequest(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);

        var (value, problem) = await JsonBody.ReadAsync<ServiceDefinition>(context.Request, CancellationToken.None);

        Assert.Null(value);
        var status = Assert.IsAssignableFrom<IStatusCodeHttpResult>(problem);
        Assert.Equal(StatusCodes.Status400BadRequest, status.StatusCode);
    }
}
