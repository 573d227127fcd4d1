using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Sinks;

/// <summary>
/// The two wire forms of a <see cref="SinkRecord"/>: one JSON object (<c>"type"</c> first, then the record's fields as the API
/// writes them, snake_case) and an RFC 5424 syslog message carrying that JSON as MSG, framed by octet counting (RFC 6587).
/// </summary>
internal static class SinkRecordFormat
{
    public const string AppName = "agent-vault";

    /// <summary>Facility 13 (log audit); severity 6 (informational) for requests, 5 (notice) for audit-trail entries.</summary>
    public static int Priority(SinkRecord record) => (13 * 8) + (record.Type == "audit" ? 5 : 6);

    public static byte[] Json(SinkRecord record)
    {
        var element = record.Payload switch
        {
            RequestLogRecord request => JsonSerializer.SerializeToElement(request, ModelJson.Options),
            AuditEntry entry => JsonSerializer.SerializeToElement(entry, ModelJson.Options),
            _ => throw new ArgumentException("unknown record payload", nameof(record)),
        };
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", record.Type);
            foreach (var property in element.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>LEN SP &lt;PRI&gt;1 TIMESTAMP HOSTNAME agent-vault PROCID MSGID - JSON</c>; MSG is the JSON without a BOM (MSG-ANY).</summary>
    public static byte[] SyslogFrame(SinkRecord record, string hostName, int processId)
    {
        var header = string.Create(CultureInfo.InvariantCulture,
            $"<{Priority(record)}>1 {record.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} {hostName} {AppName} {processId} {record.Type} - ");
        var json = Json(record);
        var length = Encoding.ASCII.GetByteCount(header) + json.Length;
        var prefix = Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " " + header);
        var frame = new byte[prefix.Length + json.Length];
        prefix.CopyTo(frame, 0);
        json.CopyTo(frame, prefix.Length);
        return frame;
    }

    /// <summary>RFC 5424 HOSTNAME: printable US-ASCII without spaces, at most 255 characters; <c>-</c> when there is none.</summary>
    public static string HostName(string machineName)
    {
        var cleaned = new string([.. machineName.Where(c => c is > ' ' and < (char)127)]);
        return cleaned.Length == 0 ? "-" : cleaned.Length > 255 ? cleaned[..255] : cleaned;
    }
}
