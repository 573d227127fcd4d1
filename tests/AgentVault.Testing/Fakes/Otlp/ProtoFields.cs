using Google.Protobuf;

namespace AgentVault.Testing.Fakes.Otlp;

/// <summary>
/// One protobuf message read as its fields (number → raw values), with Google.Protobuf's wire reader: enough to walk the
/// OTLP export messages by field number (opentelemetry-proto) without generated classes.
/// </summary>
internal sealed class ProtoFields
{
    private readonly Dictionary<int, List<object>> _fields = [];

    private ProtoFields()
    {
    }

    public static ProtoFields Parse(byte[] bytes)
    {
        var message = new ProtoFields();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                WireFormat.WireType.Fixed32 => (ulong)input.ReadFixed32(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes().ToByteArray(),
                var other => throw new InvalidDataException($"unexpected wire type {other}"),
            };
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!message._fields.TryGetValue(number, out var values))
            {
                message._fields[number] = values = [];
            }

            values.Add(value);
        }

        return message;
    }

    /// <summary>Every embedded message of field <paramref name="number"/>.</summary>
    public IEnumerable<ProtoFields> Messages(int number) => Bytes(number).Select(Parse);

    public ProtoFields? Message(int number) => Bytes(number).Select(Parse).FirstOrDefault();

    public IEnumerable<byte[]> Bytes(int number) => _fields.TryGetValue(number, out var values) ? values.OfType<byte[]>() : [];

    public string? String(int number) => Bytes(number).Select(b => System.Text.Encoding.UTF8.GetString(b)).FirstOrDefault();

    public string Hex(int number) => Bytes(number).Select(Convert.ToHexStringLower).FirstOrDefault() ?? string.Empty;

    public ulong Number(int number) => _fields.TryGetValue(number, out var values) ? values.OfType<ulong>().FirstOrDefault() : 0;

    /// <summary>OTLP <c>KeyValue</c> list (key = 1, value = 2 as <c>AnyValue</c>) as text: strings as they are, numbers and booleans formatted.</summary>
    public Dictionary<string, string> Attributes(int number)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Messages(number))
        {
            attributes[pair.String(1) ?? string.Empty] = pair.Message(2) is { } value ? AnyValue(value) : string.Empty;
        }

        return attributes;
    }

    // AnyValue: string_value = 1, bool_value = 2, int_value = 3, double_value = 4.
    public static string AnyValue(ProtoFields value) =>
        value.String(1) ?? (value._fields.ContainsKey(2) ? (value.Number(2) != 0 ? "true" : "false")
            : value._fields.ContainsKey(3) ? ((long)value.Number(3)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : value._fields.ContainsKey(4) ? BitConverter.UInt64BitsToDouble(value.Number(4)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.Empty);
}
