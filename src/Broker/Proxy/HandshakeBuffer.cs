using System.Net.Security;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// <see cref="SslStream"/> keeps the buffer it rented for the handshake (8 KiB) until its first read completes, so a tunnel
/// waiting for its first request would hold it all that time: 8 MiB of heap for 1,000 idle tunnels (docs/performance.md,
/// "Idle tunnels"). A zero-byte read with a token that is already cancelled stops at the transport before anything is read,
/// and on the way out SslStream returns its buffer when nothing is left in it. A record the client already sent stays: in
/// the transport, unread, or decrypted in SslStream's buffer (which is then kept) for the first real read.
/// </summary>
internal static class HandshakeBuffer
{
    /// <summary>Hands SslStream's handshake buffer back to the pool when it is empty; throws <see cref="IOException"/> as a read would.</summary>
    public static async ValueTask ReleaseAsync(SslStream ssl)
    {
        try
        {
            await ssl.ReadAsync(Memory<byte>.Empty, new CancellationToken(canceled: true)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The expected outcome: nothing was read, and the buffer is back in the pool.
            return;
        }
    }
}
