using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

public sealed class ConnectRefusalTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    public static TheoryData<string?, string, int, string, string> Cases => new()
    {
        // authorization, authority ({port} = upstream port), status, code, text the detail must contain
        { null, "api.upstream.test:{port}", 407, "proxy_auth_required", "Proxy authentication required" },
        { RawProxyClient.Basic("avt_not-a-token", "dev"), "api.upstream.test:{port}", 407, "proxy_auth_required", "unknown, revoked or expired" },
        { "Digest abc", "api.upstream.test:{port}", 407, "proxy_auth_required", "Proxy-Authorization must be" },
        { RawProxyClient.Basic(ProxyHarness.Token, "nope"), "api.upstream.test:{port}", 404, "vault_not_found", "'nope' does not exist or this token may not use it" },
        { RawProxyClient.Basic(ProxyHarness.Token, "other"), "api.upstream.test:{port}", 404, "vault_not_found", "'other' does not exist or this token may not use it" },
        { RawProxyClient.Basic(ProxyHarness.Token, "dev"), "api.x.com:443", 403, "host_not_allowed", "Vault 'dev' has no service for api.x.com" },
        { RawProxyClient.Basic(ProxyHarness.Token, "dev"), "api.upstream.test:1", 403, "host_not_allowed", "no service for api.upstream.test (port 1)" },
        { RawProxyClient.Basic(ProxyHarness.Token, "dev"), "not a host", 400, "bad_request", "Malformed CONNECT" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RefusedConnect_AnswersProblemBeforeTunnel(string? authorization, string authority, int status, string code, string detail)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var client = await RawProxyClient.ConnectAsync(broker.ProxyUri);
        var response = await client.ConnectAsync(authority.Replace("{port}", fixture.Upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), authorization);

        Assert.Equal(status, response.Status);
        Assert.Equal(code, response.Headers["X-Agent-Vault-Error"]);
        Assert.Equal("application/problem+json", response.Headers["Content-Type"]);
        Assert.Equal(status == 407, response.Headers.TryGetValue("Proxy-Authenticate", out var challenge) && challenge == "Basic realm=\"agent-vault\"");
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("https://agent-vault.dev/errors/" + code, problem.RootElement.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Token, response.Body, StringComparison.Ordinal);
    }

    public static TheoryData<string> AcceptedForms => new()
    {
        RawProxyClient.Basic(ProxyHarness.Token, "dev"),
        RawProxyClient.Basic(ProxyHarness.Token),
        RawProxyClient.Basic(ProxyHarness.Token + ":"),
        "Bearer " + ProxyHarness.Token,
        "basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ProxyHarness.Token + ":dev")),
    };

    [Theory]
    [MemberData(nameof(AcceptedForms))]
    public async Task AcceptedCredentialForms_OpenTheTunnel(string authorization)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var client = await RawProxyClient.ConnectAsync(broker.ProxyUri);
        var response = await client.ConnectAsync($"api.upstream.test:{fixture.Upstream.Port}", authorization);

        Assert.Equal(200, response.Status);
    }
}
