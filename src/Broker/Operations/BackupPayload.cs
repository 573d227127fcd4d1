using System.Text;

namespace AgentVault.Broker.Operations;

/// <summary>
/// The tables inside a backup (before compression and encryption): <c>T name columns…</c>, then <c>R value…</c> per row, then
/// <c>E</c>; <c>Z</c> ends the payload. Each value is a type tag and its data, in the neutral form of <see cref="CellValues"/>.
/// </summary>
internal sealed class BackupPayload : ITableSink
{
    private const byte TableTag = (byte)'T';
    private const byte RowTag = (byte)'R';
    private const byte EndTag = (byte)'E';
    private const byte FinishTag = (byte)'Z';

    private readonly BinaryWriter _writer;
    private int _columns;

    public BackupPayload(Stream stream) => _writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);

    public Task BeginTableAsync(string table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _writer.Write(TableTag);
        _writer.Write(table);
        _writer.Write(columns.Count);
        foreach (var column in columns)
        {
            _writer.Write(column);
        }

        _columns = columns.Count;
        return Task.CompletedTask;
    }

    public Task WriteRowAsync(object?[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        _writer.Write(RowTag);
        for (var i = 0; i < _columns; i++)
        {
            WriteValue(values[i]);
        }

        return Task.CompletedTask;
    }

    public Task EndTableAsync(CancellationToken cancellationToken)
    {
        _writer.Write(EndTag);
        return Task.CompletedTask;
    }

    public void Finish()
    {
        _writer.Write(FinishTag);
        _writer.Flush();
    }

    /// <summary>Replays a payload into <paramref name="sink"/>; returns the rows per table. A malformed payload (it authenticated, so a bug or a newer writer) is refused.</summary>
    public static async Task<IReadOnlyList<TableCount>> ReadAsync(Stream stream, ITableSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var counts = new List<TableCount>();
        try
        {
            for (var tag = reader.ReadByte(); tag != FinishTag; tag = reader.ReadByte())
            {
                if (tag != TableTag)
                {
                    throw new OperationsException("the backup's content is malformed");
                }

                var table = reader.ReadString();
                var columns = new string[reader.ReadInt32()];
                for (var i = 0; i < columns.Length; i++)
                {
                    columns[i] = reader.ReadString();
                }

                await sink.BeginTableAsync(table, columns, cancellationToken);
                long rows = 0;
                for (var row = reader.ReadByte(); row != EndTag; row = reader.ReadByte())
                {
                    var values = new object?[columns.Length];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = ReadValue(reader);
                    }

                    await sink.WriteRowAsync(values, cancellationToken);
                    rows++;
                }

                await sink.EndTableAsync(cancellationToken);
                counts.Add(new TableCount(table, rows));
            }
        }
        catch (EndOfStreamException)
        {
            throw new OperationsException("the backup's content ends early");
        }

        return counts;
    }

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null:
                _writer.Write((byte)0);
                break;
            case long number:
                _writer.Write((byte)1);
                _writer.Write(number);
                break;
            case double real:
                _writer.Write((byte)2);
                _writer.Write(real);
                break;
            case string text:
                _writer.Write((byte)3);
                _writer.Write(text);
                break;
            case byte[] bytes:
                _writer.Write((byte)4);
                _writer.Write(bytes.Length);
                _writer.Write(bytes);
                break;
            case DateTime time:
                _writer.Write((byte)5);
                _writer.Write(time.ToUniversalTime().Ticks);
                break;
            case bool flag:
                _writer.Write((byte)6);
                _writer.Write(flag);
                break;
            default:
                throw new OperationsException($"a value of type {value.GetType().Name} cannot be backed up");
        }
    }

    private static object? ReadValue(BinaryReader reader) => reader.ReadByte() switch
    {
        0 => null,
        1 => reader.ReadInt64(),
        2 => reader.ReadDouble(),
        3 => reader.ReadString(),
        4 => reader.ReadBytes(reader.ReadInt32()),
        5 => new DateTime(reader.ReadInt64(), DateTimeKind.Utc),
        6 => reader.ReadBoolean(),
        _ => throw new OperationsException("the backup's content is malformed"),
    };
}
