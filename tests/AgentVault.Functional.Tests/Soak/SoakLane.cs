using System.Diagnostics;
using System.Net.WebSockets;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// One agent using one of its vaults: a loop of requests of every kind in a fixed mix until stopped. A token being revoked
/// is refused (expected); the loop then waits for the operator's replacement. A limit refusal is honoured (Retry-After, at
/// most a second). The request in progress when the soak stops is finished, not cancelled.
/// </summary>
internal sealed class SoakLane(SoakAgentSlot slot, string vault, Uri upstream, SoakLedger ledger, int offset)
{
    public const int UploadBytes = 1 << 20;

    // Twenty steps: half plain GETs (HTTP/1.1 kept alive, HTTP/2, a new tunnel each), a fifth WebSockets, and streams and 1 MiB uploads.
    private static readonly string[] Mix =
    [
        "get-h1", "get-h2", "ws-h1", "get-h1", "stream-h1", "get-new", "get-h2", "upload-h1", "get-h1", "ws-h2",
        "get-h2", "get-h1", "stream-h2", "get-new", "ws-h1", "get-h1", "upload-h2", "get-h2", "ws-h2", "get-h1",
    ];

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(120);
    private readonly byte[] _upload = RandomBody();

    public async Task RunAsync(CancellationToken stop)
    {
        for (var step = offset; !stop.IsCancellationRequested; step++)
        {
            var identity = slot.Current;
            var label = Mix[step % Mix.Length];
            var call = new SoakCall(identity.Agent, vault, ledger.NextSeq(), label[..label.IndexOf('-', StringComparison.Ordinal)]);
            var started = Stopwatch.GetTimestamp();
            identity.Enter();
            SoakResult result;
            try
            {
                result = await SendAsync(identity.ClientsFor(vault), label, call);
            }
            finally
            {
                identity.Exit();
            }

            ledger.Record(identity, call, label, started, result);
            if (result.Outcome is SoakOutcome.AuthRefused or SoakOutcome.LimitRefused && identity.RevokingSince != 0
                && !await slot.WaitForSuccessorAsync(identity, TimeSpan.FromSeconds(120), stop))
            {
                if (!stop.IsCancellationRequested)
                {
                    ledger.Fail($"{identity.Agent}: no replacement identity within 120 s of its revocation");
                }

                return;
            }

            if (result.Outcome == SoakOutcome.LimitRefused)
            {
                await Task.Delay(result.RetryAfter > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : result.RetryAfter, CancellationToken.None);
            }
        }
    }

    private async Task<SoakResult> SendAsync(SoakClients clients, string label, SoakCall call)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var uri = new Uri(upstream, call.Path);
        try
        {
            return label switch
            {
                "get-h1" => await SoakRequests.GetAsync(clients.KeepAlive, uri, call, newConnection: false, timeout.Token),
                "get-h2" => await SoakRequests.GetAsync(clients.Http2, uri, call, newConnection: false, timeout.Token),
                "get-new" => await SoakRequests.GetAsync(clients.NewConnection, uri, call, newConnection: true, timeout.Token),
                "stream-h1" => await SoakRequests.StreamAsync(clients.KeepAlive, uri, call, timeout.Token),
                "stream-h2" => await SoakRequests.StreamAsync(clients.Http2, uri, call, timeout.Token),
                "upload-h1" => await SoakRequests.UploadAsync(clients.KeepAlive, uri, call, _upload, timeout.Token),
                "upload-h2" => await SoakRequests.UploadAsync(clients.Http2, uri, call, _upload, timeout.Token),
                "ws-h1" => await SoakRequests.WebSocketAsync(clients.KeepAlive, WebSocketUri(uri), call, timeout.Token),
                "ws-h2" => await SoakRequests.WebSocketAsync(clients.Http2, WebSocketUri(uri), call, timeout.Token),
                _ => throw new InvalidOperationException(label),
            };
        }
        catch (Exception ex) when (ex is IOException or WebSocketException or HttpRequestException or OperationCanceledException)
        {
            return SoakResult.Failed($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static Uri WebSocketUri(Uri uri) => new UriBuilder(uri) { Scheme = "wss" }.Uri;

    private static byte[] RandomBody()
    {
        var body = new byte[UploadBytes];
        Random.Shared.NextBytes(body);
        return body;
    }
}
