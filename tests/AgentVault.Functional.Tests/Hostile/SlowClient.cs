using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// A slowloris connection: sends a request head one byte at a time and never finishes it, until the broker closes the
/// connection. Records when that happened and what the broker said (if anything) before closing.
/// </summary>
internal sealed class SlowClient
{
    private readonly string _label;
    private readonly byte[] _head;

    private SlowClient(string label, string head)
    {
        _label = label;
        _head = Encoding.ASCII.GetBytes(head);
    }

    public TimeSpan? ClosedAfter { get; private set; }

    public string Answer { get; private set; } = string.Empty;

    public int BytesSent { get; private set; }

    /// <summary>A head of <paramref name="start"/> followed by an endless run of header lines.</summary>
    public static SlowClient For(string label, string start) =>
        new(label, start + string.Concat(Enumerable.Repeat("X-Slow: 1\r\n", 2000)));

    /// <summary>Connects and trickles the head (one byte per <paramref name="interval"/>) until the broker closes or <paramref name="giveUp"/> passes.</summary>
    public async Task RunAsync(Uri server, TimeSpan interval, TimeSpan giveUp)
    {
        var clock = Stopwatch.StartNew();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var buffer = new byte[4096];
        var read = stream.ReadAsync(buffer).AsTask();
        while (clock.Elapsed < giveUp)
        {
            if (read.IsCompleted || await Task.WhenAny(read, Task.Delay(interval)) == read)
            {
                int n;
                try
                {
                    n = await read;
                }
                catch (IOException)
                {
                    n = 0;
                }

                if (n == 0)
                {
                    ClosedAfter = clock.Elapsed;
                    return;
                }

                Answer += Encoding.ASCII.GetString(buffer, 0, n);
                read = stream.ReadAsync(buffer).AsTask();
                continue;
            }

            if (BytesSent < _head.Length)
            {
                try
                {
                    await stream.WriteAsync(_head.AsMemory(BytesSent, 1));
                    BytesSent++;
                }
                catch (IOException)
                {
                    // The broker closed while we wrote; the pending read reports it.
                }
            }
        }
    }

    public override string ToString() =>
        $"{_label}: {(ClosedAfter is { } after ? $"closed after {after.TotalSeconds:F1} s" : "still open")}, {BytesSent} bytes sent, answer '{Answer.Split("\r\n")[0]}'";
}
