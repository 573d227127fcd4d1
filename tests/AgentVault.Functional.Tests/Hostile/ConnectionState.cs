using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// Whether the broker has closed clients' connections, seen from the kernel's table of TCP connections rather than by
/// reading (a client that never reads must not start reading to find out): once the broker closes, the client's side is in
/// CLOSE_WAIT (or TIME_WAIT when the client had half-closed first), or gone after a reset.
/// </summary>
internal static class ConnectionState
{
    /// <summary>Polls until the broker closed <paramref name="local"/>; returns how long that took, or null at the deadline.</summary>
    public static async Task<TimeSpan?> WaitForCloseAsync(IPEndPoint local, TimeSpan deadline) =>
        (await WaitForCloseAsync([local], deadline))[0];

    /// <summary>Polls (one read of the table per poll) until the broker closed every connection or the deadline passed.</summary>
    public static async Task<TimeSpan?[]> WaitForCloseAsync(IReadOnlyList<IPEndPoint> locals, TimeSpan deadline)
    {
        var closedAfter = new TimeSpan?[locals.Count];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline && closedAfter.Any(c => c is null))
        {
            var open = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections()
                .Where(c => c.State is not (TcpState.CloseWait or TcpState.LastAck or TcpState.Closing or TcpState.TimeWait or TcpState.Closed))
                .Select(c => c.LocalEndPoint)
                .ToHashSet();
            for (var i = 0; i < locals.Count; i++)
            {
                if (closedAfter[i] is null && !open.Contains(locals[i]))
                {
                    closedAfter[i] = clock.Elapsed;
                }
            }

            await Task.Delay(100);
        }

        return closedAfter;
    }
}
