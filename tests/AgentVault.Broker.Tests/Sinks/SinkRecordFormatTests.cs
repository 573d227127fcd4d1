using System.Text;
using System.Text.Json;
using AgentVault.Broker.Sinks;

namespace AgentVault.Broker.Tests.Sinks;

/// <summary>The RFC 5424 message with octet-counting framing (RFC 6587).</summary>
public sealed class SinkRecordFormatTests
{
    [Fact]
    public void SyslogFrame_IsOctetCountedRfc5424_WithTheJsonAsMessage()
    {
        var frame = SinkRecordFormat.SyslogFrame(SinkRecord.Audit(AuditSinkTests.Entry()), "broker-1", 4242);

        var text = Encoding.UTF8.GetString(frame);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var length = int.Parse(text[..space], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(frame.Length - space - 1, length);
        var message = text[(space + 1)..];
        Assert.StartsWith("<109>1 1970-01-01T00:00:00.000000Z broker-1 agent-vault 4242 audit - {", message, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(message[message.IndexOf('{', StringComparison.Ordinal)..]);
        Assert.Equal("audit", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("vaults/dev/services/github", json.RootElement.GetProperty("target").GetString());
    }

    [Fact]
    public void RequestRecord_IsInformational()
    {
        var frame = Encoding.UTF8.GetString(SinkRecordFormat.SyslogFrame(AuditSinkTests.Record(0), "-", 1));

        Assert.Contains(" <110>1 ", frame, StringComparison.Ordinal);
        Assert.Contains(" agent-vault 1 request - {\"type\":\"request\",", frame, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host name", "hostname")]
    [InlineData("", "-")]
    [InlineData("brøker", "brker")]
    public void HostName_IsPrintableAsciiWithoutSpaces(string machine, string expected) =>
        Assert.Equal(expected, SinkRecordFormat.HostName(machine));
}
