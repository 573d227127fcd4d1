using System.Buffers;
using AgentVault.Broker.WebSockets;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Wraps the agent side of an upgraded WebSocket connection for response redaction (egress policy). Writes — the
/// server→agent direction — go through a <see cref="WebSocketFrameRedactor"/>; reads pass through untouched, so it
/// composes with <c>WebSocketSubstitutingStream</c> (which rewrites reads and passes writes): the redacting stream wraps
/// the substituting one and each direction is handled by exactly one of them. Each write is parsed into one reusable
/// output buffer and handed to the inner stream in one write; no lock is needed because the forwarder copies each
/// direction with one task.
/// </summary>
internal sealed class WebSocketRedactingStream : UpgradedStreamWrapper
{
    private readonly WebSocketFrameRedactor _frames;
    private readonly ArrayBufferWriter<byte> _output = new();

    public WebSocketRedactingStream(Stream inner, WebSocketFrameRedactor frames)
        : base(inner)
    {
        _frames = frames;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_frames.Refused)
        {
            throw Refusal();
        }

        _frames.Process(buffer.Span, _output);
        try
        {
            if (_output.WrittenCount > 0)
            {
                await Inner.WriteAsync(_output.WrittenMemory, cancellationToken);
            }
        }
        finally
        {
            _output.ResetWrittenCount();
        }

        if (_frames.Refused)
        {
            await Inner.FlushAsync(cancellationToken);
            throw Refusal();
        }
    }

    private static IOException Refusal() =>
        new("The upstream sent a WebSocket frame that cannot be inspected (compressed, masked or unknown) and the service is 'redact: strict': the connection was closed.");
}
