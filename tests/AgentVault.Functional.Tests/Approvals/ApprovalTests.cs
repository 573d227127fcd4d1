using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace AgentVault.Functional.Tests.Approvals;

/// <summary>
/// Per-request approval through the real broker (SPEC §12, docs/approvals.md): a held request reaches the upstream only after
/// a person approves it, with its body intact; a denied or timed-out one never does; approving "for" a while lets the next
/// matching request pass; bodies over 1 MiB are refused; the request log records the decision and who made it.
/// </summary>
[Collection(ApprovalCollection.Name)]
public sealed class ApprovalTests(ApprovalFixture fixture)
{
    [Fact]
    public async Task Approved_ReachesTheUpstreamOnce_WithItsBodyIntact()
    {
        var marker = Marker();
        var body = RandomNumberGenerator.GetBytes(300 * 1024);
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));
        var pending = client.PostAsync(fixture.Payments($"/charges/{marker}?amount=5"), new ByteArrayContent(body));

        var held = await fixture.WaitForPendingAsync(marker);
        Assert.Equal(0, fixture.Hits(marker));
        Assert.Equal(("claude", "dev", "payments", "POST"), (Text(held, "agent"), Text(held, "vault"), Text(held, "service"), Text(held, "method")));
        Assert.Equal(("payments.upstream.test", $"/charges/{marker}", "pending"), (Text(held, "host"), Text(held, "path"), Text(held, "status")));
        Assert.True(held.GetProperty("expires").GetDateTimeOffset() - held.GetProperty("created").GetDateTimeOffset() == TimeSpan.FromSeconds(120));
        Assert.DoesNotContain("amount", held.GetRawText(), StringComparison.Ordinal);

        using var approved = await fixture.DecideAsync(Text(held, "id"), "approve");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        using var response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), echo.RootElement.GetProperty("body_sha256").GetString());
        // The credential was injected (and, echoed back, redacted on the way to the agent).
        Assert.Equal("Bearer [REDACTED]", echo.RootElement.GetProperty("headers").GetProperty("authorization").GetString());
        Assert.Equal(1, fixture.Hits(marker));

        var record = await fixture.LogOfAsync(marker);
        Assert.Equal(("approved", "admin-token", 200), (Text(record, "approval"), Text(record, "decided_by"), record.GetProperty("status").GetInt32()));
        Assert.Equal(body.Length, record.GetProperty("bytes_in").GetInt64());
    }

    [Fact]
    public async Task Denied_Answers403ApprovalDenied_AndTheUpstreamNeverSeesIt_OverHttp2()
    {
        var marker = Marker();
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"), version: HttpVersion.Version20);
        var pending = client.PostAsync(fixture.Payments($"/charges/{marker}"), new StringContent("{\"amount\":500}"));
        var held = await fixture.WaitForPendingAsync(marker);

        using var denied = await fixture.DecideAsync(Text(held, "id"), "deny");
        using var response = await pending;

        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("approval_denied", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        Assert.Equal("approval_denied", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal(0, fixture.Hits(marker));
        var record = await fixture.LogOfAsync(marker);
        Assert.Equal(("denied", "admin-token", "approval_denied"), (Text(record, "approval"), Text(record, "decided_by"), Text(record, "error")));

        // A decided request cannot be decided again; an unknown one does not exist.
        using var again = await fixture.DecideAsync(Text(held, "id"), "approve");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var unknown = await fixture.DecideAsync("apr_000000000000000000000000", "approve");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, fixture.Hits(marker));
    }

    [Fact]
    public async Task NoDecision_Answers403ApprovalTimeout_ForAPlainHttpProxyRequest()
    {
        var marker = Marker();
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));

        using var response = await client.DeleteAsync(fixture.Quick($"/items/{marker}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("approval_timeout", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        Assert.Equal(0, fixture.Hits(marker));
        var record = await fixture.LogOfAsync(marker);
        Assert.Equal(("timeout", "broker", "approval_timeout"), (Text(record, "approval"), Text(record, "decided_by"), Text(record, "error")));
    }

    [Fact]
    public async Task ApproveFor_LetsTheNextMatchingRequestPass_UntilTheGrantIsEnded()
    {
        var first = Marker();
        using var client = fixture.Broker.CreateClient(fixture.Token("grantee"));
        var pending = client.PostAsync(fixture.Payments($"/grant/{first}"), new StringContent("one"));
        var held = await fixture.WaitForPendingAsync(first);

        using var approved = await fixture.DecideAsync(Text(held, "id"), "approve", new { @for = "10m" });
        Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
        var grant = JsonDocument.Parse(await approved.Content.ReadAsStringAsync()).RootElement.GetProperty("grant");
        Assert.Equal(("grantee", "payments", "POST /grant/**"), (Text(grant, "agent"), Text(grant, "service"), Text(grant, "rule")));

        // The next matching request of the same agent passes without being held; another agent's is still held.
        var second = Marker();
        using var passed = await client.PostAsync(fixture.Payments($"/grant/{second}"), new StringContent("two"));
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Equal(1, fixture.Hits(second));
        var record = await fixture.LogOfAsync(second);
        Assert.Equal(("granted", "admin-token"), (Text(record, "approval"), Text(record, "decided_by")));

        // Ended, the grant covers nothing: the next request waits again.
        using var api = fixture.Broker.Process.CreateApiClient();
        using var ended = await api.DeleteAsync(new Uri($"/v1/approvals/grants/{Text(grant, "id")}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        var third = Marker();
        var waiting = client.PostAsync(fixture.Payments($"/grant/{third}"), new StringContent("three"));
        var heldAgain = await fixture.WaitForPendingAsync(third);
        using var denied = await fixture.DecideAsync(Text(heldAgain, "id"), "deny");
        Assert.Equal(HttpStatusCode.Forbidden, (await waiting).StatusCode);
        Assert.Equal(0, fixture.Hits(third));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BodyOverOneMebibyte_Is413_AndNeverHeld(bool withLength)
    {
        var marker = Marker();
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));
        HttpContent content = withLength ? new ByteArrayContent(new byte[(1024 * 1024) + 1]) : new StreamContent(new MemoryStream(new byte[(1024 * 1024) + 1]));
        if (!withLength)
        {
            content = new ChunkedContent(content);
        }

        using var response = await client.PostAsync(fixture.Payments($"/charges/{marker}"), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        Assert.Equal(0, fixture.Hits(marker));
        using var api = fixture.Broker.Process.CreateApiClient();
        Assert.DoesNotContain(marker, await api.GetStringAsync(new Uri("/v1/approvals", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceWithoutApproveRules_IsNeverHeld()
    {
        var marker = Marker();
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));

        using var response = await client.PostAsync(fixture.Open($"/charges/{marker}"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await fixture.LogOfAsync(marker);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("approval").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("decided_by").ValueKind);
    }

    [Fact]
    public async Task TokenRevokedWhileHeld_IsNotForwardedOnApproval()
    {
        var marker = Marker();
        var token = await fixture.Broker.CreateAgentAsync("revoked-while-held", "dev");
        using var client = fixture.Broker.CreateClient(token);
        var pending = client.PostAsync(fixture.Payments($"/charges/{marker}"), new StringContent("x"));
        var held = await fixture.WaitForPendingAsync(marker);

        var revoked = await fixture.Broker.Process.Cli.RunAsync("agent", "revoke", "revoked-while-held");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        using var approved = await fixture.DecideAsync(Text(held, "id"), "approve");
        using var response = await pending;

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, response.StatusCode);
        Assert.Equal(0, fixture.Hits(marker));
    }

    private static string Marker() => ApprovalFixture.Marker();

    private static string Text(JsonElement element, string name) => ApprovalFixture.Text(element, name);

    /// <summary>Sends its inner content without a Content-Length (chunked over HTTP/1.1).</summary>
    private sealed class ChunkedContent(HttpContent inner) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => inner.CopyToAsync(stream, context);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
