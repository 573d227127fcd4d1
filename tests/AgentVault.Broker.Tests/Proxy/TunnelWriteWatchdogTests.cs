using System.IO.Pipelines;
using AgentVault.Broker.Proxy;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AgentVault.Broker.Tests.Proxy;

public sealed class TunnelWriteWatchdogTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);

    [Fact]
    public void WriteTheClientNeverTakes_ClosesTheTunnelAfterTheStallTimeout()
    {
        var (time, watchdog, connection, stream) = Create(pauseAt: 16);
        using var watched = watchdog.Watch(stream, connection);

        var write = stream.WriteAsync(new byte[64]).AsTask();
        time.Advance(Stall - TimeSpan.FromSeconds(15));
        Assert.False(connection.Aborted);
        Assert.False(write.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.True(connection.Aborted);
        watchdog.Dispose();
    }

    [Fact]
    public async Task WritesThatComplete_AndIdleTime_NeverCloseTheTunnel()
    {
        var (time, watchdog, connection, stream) = Create(pauseAt: 1024 * 1024);
        using var watched = watchdog.Watch(stream, connection);

        for (var i = 0; i < 10; i++)
        {
            await stream.WriteAsync(new byte[64]);
            time.Advance(Stall);
        }

        Assert.Equal(0, stream.WriteStartedAt);
        Assert.False(connection.Aborted);
        watchdog.Dispose();
    }

    [Fact]
    public void TunnelNoLongerWatched_IsNotClosed()
    {
        var (time, watchdog, connection, stream) = Create(pauseAt: 16);
        var watched = watchdog.Watch(stream, connection);
        _ = stream.WriteAsync(new byte[64]).AsTask();

        watched.Dispose();
        time.Advance(Stall * 2);

        Assert.False(connection.Aborted);
        watchdog.Dispose();
    }

    private static (FakeTimeProvider Time, TunnelWriteWatchdog Watchdog, FakeConnection Connection, DuplexPipeStream Stream) Create(long pauseAt)
    {
        var time = new FakeTimeProvider();
        var watchdog = new TunnelWriteWatchdog(time, NullLogger<TunnelWriteWatchdog>.Instance, Stall);
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: pauseAt, resumeWriterThreshold: pauseAt / 2, useSynchronizationContext: false));
        var input = new Pipe();
        var transport = new DuplexPipe(input.Reader, output.Writer);
        return (time, watchdog, new FakeConnection(transport), new DuplexPipeStream(transport, time));
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class FakeConnection : ConnectionContext
    {
        public FakeConnection(IDuplexPipe transport) => Transport = transport;

        public bool Aborted { get; private set; }

        public override string ConnectionId { get; set; } = "fake";

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport { get; set; }

        public override void Abort(ConnectionAbortedException abortReason) => Aborted = true;
    }
}
