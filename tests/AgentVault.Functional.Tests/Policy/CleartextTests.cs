using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Credentials travel only over TLS (SPEC §5): a request that would have a credential injected over a plain-HTTP upstream leg —
/// absolute-form <c>http://</c>, plain HTTP inside a CONNECT tunnel, or an https→http redirect the client follows — is refused
/// with 403 <c>insecure_upstream</c> before anything reaches the upstream, unless the service sets <c>allow_http: true</c>.
/// A service host without a port matches 443 only; <c>:*</c> any port.
/// </summary>
public sealed class CleartextTests(CleartextFixture fixture) : IClassFixture<CleartextFixture>
{
    [Fact]
    public async Task AbsoluteFormHttp_ToAnInjectingService_IsRefusedBeforeTheUpstreamSeesIt()
    {
        var marker = Marker();
        var response = await CurlAsync($"http://plain.upstream.test:{fixture.Plain.Port}/echo/{marker}");

        AssertInsecure(response);
        AssertNeverReached(marker);
    }

    [Fact]
    public async Task PlainHttpInsideConnect_ToAnInjectingService_IsRefusedBeforeTheUpstreamSeesIt()
    {
        var marker = Marker();
        var response = await CurlAsync("--proxytunnel", $"http://plain.upstream.test:{fixture.Plain.Port}/echo/{marker}");

        AssertInsecure(response);
        AssertNeverReached(marker);
    }

    [Fact]
    public async Task PlainHttpInsideConnect_ToTheTlsPortOfAService_IsRefused()
    {
        // CONNECT names the service's TLS port, then the client speaks plaintext: the leg to the upstream would be plain.
        var marker = Marker();
        var response = await CurlAsync("--proxytunnel", $"http://tls.upstream.test:{fixture.Tls.Port}/echo/{marker}");

        AssertInsecure(response);
        lock (fixture.Tls.Received)
        {
            Assert.DoesNotContain(fixture.Tls.Received, r => r.Contains(marker, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RedirectFromHttpsToHttp_FollowedByTheClient_IsRefused()
    {
        var marker = Marker();
        var target = Uri.EscapeDataString($"http://plain.upstream.test:{fixture.Plain.Port}/echo/{marker}");
        var response = await CurlAsync("-L", $"https://tls.upstream.test:{fixture.Tls.Port}/redirect-to?location={target}");

        // -D prints both answers' heads; the final status is the refusal.
        Assert.True(response.Status == 403, response.ToString());
        Assert.Contains("X-Agent-Vault-Error: insecure_upstream", response.ToString(), StringComparison.OrdinalIgnoreCase);
        AssertNeverReached(marker);
    }

    [Fact]
    public async Task QuerySubstitutionOverPlainHttp_IsRefused()
    {
        var marker = Marker();
        var response = await CurlAsync($"http://subst.upstream.test:{fixture.Plain.Port}/echo/{marker}?key=__api_key__");

        AssertInsecure(response);
        AssertNeverReached(marker);
    }

    [Fact]
    public async Task AllowHttp_InjectsOverPlainHttp_AndApplyWarned()
    {
        var response = await CurlAsync($"http://lab.upstream.test:{fixture.Plain.Port}/echo/lab");

        Assert.Equal(200, response.Status);
        Assert.Contains("Bearer " + CleartextFixture.Secret, response.Body, StringComparison.Ordinal);
        Assert.Contains("warning: vaults[0].services[2].allow_http", fixture.ApplyStderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassthroughWithoutSubstitutions_OverPlainHttp_IsForwarded()
    {
        var response = await CurlAsync($"http://open.upstream.test:{fixture.Plain.Port}/echo/open");

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task HostWithoutPort_DoesNotMatchAnotherPort()
    {
        // default-port.upstream.test names no port, so it covers 443 only: the upstream's port is not allowed at CONNECT.
        var result = await fixture.Broker.CurlAsync(fixture.Token, "-v", $"https://default-port.upstream.test:{fixture.Tls.Port}/echo/x");

        Assert.Contains("CONNECT tunnel failed, response 403", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("X-Agent-Vault-Error: host_not_allowed", result.StdErr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HostWithAnyPort_MatchesTheUpstreamsPort_AndInjects()
    {
        var response = await CurlAsync($"https://any-port.upstream.test:{fixture.Tls.Port}/echo/any");

        Assert.Equal(200, response.Status);
        Assert.Contains("Bearer " + CleartextFixture.Secret, response.Body, StringComparison.Ordinal);
    }

    private static string Marker() => Guid.NewGuid().ToString("N");

    private static void AssertInsecure(CurlResponse response)
    {
        Assert.True(response.Status == 403, response.ToString());
        Assert.Equal("insecure_upstream", response.Header("X-Agent-Vault-Error"));
        Assert.DoesNotContain(CleartextFixture.Secret, response.ToString(), StringComparison.Ordinal);
    }

    private void AssertNeverReached(string marker)
    {
        lock (fixture.Plain.Received)
        {
            Assert.DoesNotContain(fixture.Plain.Received, r => r.Contains(marker, StringComparison.Ordinal));
        }
    }

    private async Task<CurlResponse> CurlAsync(params string[] arguments) =>
        CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token, [.. CurlResponse.Arguments, .. arguments]));
}
