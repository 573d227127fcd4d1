using System.Text.Json;
using System.Text.RegularExpressions;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Telemetry;

/// <summary><c>--audit-sink syslog+tcp://</c> and <c>syslog+tls://</c> on the real broker, received by an in-test collector.</summary>
public sealed partial class SyslogAuditSinkTests
{
    [Fact]
    public async Task SyslogTcp_DeliversOctetCountedRfc5424Messages()
    {
        await using var collector = new SyslogReceiver();
        await using var environment = await AuditSinkEnvironment.StartAsync([$"syslog+tcp://127.0.0.1:{collector.Port}"]);

        await AssertBothKindsArriveAsync(collector, environment);
    }

    [Fact]
    public async Task SyslogTls_VerifiedAgainstUpstreamCa_DeliversMessages()
    {
        using var siemCa = new TestCertificateAuthority("Test SIEM CA");
        await using var collector = new SyslogReceiver(siemCa.IssueServerCertificate("127.0.0.1"));
        await using var environment = await AuditSinkEnvironment.StartAsync([$"syslog+tls://127.0.0.1:{collector.Port}"], siemCa);

        await AssertBothKindsArriveAsync(collector, environment);
        Assert.Empty(collector.Errors);
    }

    [Fact]
    public async Task SyslogTls_UntrustedCollector_GetsNothing_AndTheProxyStillWorks()
    {
        using var otherCa = new TestCertificateAuthority("Untrusted SIEM CA");
        await using var collector = new SyslogReceiver(otherCa.IssueServerCertificate("127.0.0.1"));
        await using var environment = await AuditSinkEnvironment.StartAsync([$"syslog+tls://127.0.0.1:{collector.Port}"]);

        await environment.ProxyAsync("/untrusted/" + Guid.NewGuid().ToString("N"));

        Assert.True(await environment.Broker.Process.WaitForLogAsync("write failed (AuthenticationException", TimeSpan.FromSeconds(30)), environment.Broker.Process.Stderr);
        Assert.Empty(collector.Messages);
    }

    private static async Task AssertBothKindsArriveAsync(SyslogReceiver collector, AuditSinkEnvironment environment)
    {
        var marker = "/syslog/" + Guid.NewGuid().ToString("N");
        await environment.ProxyAsync(marker);

        var messages = await collector.WaitForAsync(ms => ms.Any(m => m.Contains(marker, StringComparison.Ordinal)) && ms.Any(m => m.Contains(" audit - ", StringComparison.Ordinal)));
        foreach (var message in messages)
        {
            var match = Rfc5424().Match(message);
            Assert.True(match.Success, message);
            Assert.Equal(match.Groups["msgid"].Value == "audit" ? "109" : "110", match.Groups["pri"].Value);
            using var json = JsonDocument.Parse(match.Groups["msg"].Value);
            Assert.Equal(match.Groups["msgid"].Value, json.RootElement.GetProperty("type").GetString());
            Assert.DoesNotContain(AuditSinkEnvironment.Secret, message, StringComparison.Ordinal);
            Assert.DoesNotContain(environment.Token, message, StringComparison.Ordinal);
        }

        var request = messages.Single(m => m.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("request", Rfc5424().Match(request).Groups["msgid"].Value);
    }

    [GeneratedRegex(@"^<(?<pri>\d{1,3})>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z [!-~]{1,255} agent-vault \d+ (?<msgid>request|audit) - (?<msg>\{.*\})$", RegexOptions.Singleline)]
    private static partial Regex Rfc5424();
}
