using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// The soak's endpoints on the <see cref="Testing.Upstream.TestUpstream"/>: <c>/soak/VAULT/AGENT/KIND/SEQ</c>. Every request is
/// checked on arrival: its <c>Authorization</c> must be exactly the bearer secret of VAULT (the broker injects it; the agent
/// sent a dummy). The answer names the vault whose secret arrived (<see cref="CredentialVaultHeader"/>, never the secret) and
/// echoes the path, so the agent checks it too. Kinds: <c>get</c>, <c>stream</c> (16 SSE events), <c>upload</c> (length and
/// SHA-256 of the body), <c>ws</c> (WebSocket echo).
/// </summary>
internal sealed class SoakUpstream
{
    public const string CredentialVaultHeader = "X-Soak-Credential-Vault";
    public const string PathHeader = "X-Soak-Path";
    public const int StreamEvents = 16;

    private readonly Dictionary<string, string> _vaultByAuthorization;
    private readonly ConcurrentQueue<string> _wrong = new();
    private long _wrongCount;

    /// <param name="secrets">The bearer secret of each vault, by vault name.</param>
    public SoakUpstream(IReadOnlyDictionary<string, string> secrets) =>
        _vaultByAuthorization = secrets.ToDictionary(s => "Bearer " + s.Value, s => s.Key, StringComparer.Ordinal);

    /// <summary>The vault whose credential each request carried ("none", "unknown"), by request number.</summary>
    public ConcurrentDictionary<long, string> Seen { get; } = new();

    /// <summary>Requests that arrived with another vault's credential, none, or an unknown one.</summary>
    public long WrongCredentials => Interlocked.Read(ref _wrongCount);

    /// <summary>The first of those requests, described (path and which vault's credential it carried).</summary>
    public IReadOnlyList<string> WrongExamples => [.. _wrong.Take(20)];

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.Map("/soak/{**rest}", HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var parts = path.Split('/');
        var seq = SoakCall.SeqOf(path);
        if (parts.Length != 6 || seq < 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var (vault, kind) = (parts[2], parts[4]);
        var authorization = context.Request.Headers.Authorization;
        var carried = authorization.Count switch
        {
            0 => "none",
            1 when _vaultByAuthorization.TryGetValue(authorization[0]!, out var owner) => owner,
            _ => "unknown",
        };
        Seen[seq] = carried;
        if (!string.Equals(carried, vault, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _wrongCount);
            _wrong.Enqueue($"{context.Request.Method} {path} carried the credential of {carried}");
        }

        context.Response.Headers[CredentialVaultHeader] = carried;
        context.Response.Headers[PathHeader] = path;
        switch (kind)
        {
            case "ws":
                await WebSocketEchoAsync(context);
                break;
            case "stream":
                await StreamAsync(context, seq);
                break;
            case "upload":
                await UploadAsync(context);
                break;
            default:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok " + seq.ToString(CultureInfo.InvariantCulture), context.RequestAborted);
                break;
        }
    }

    private static async Task StreamAsync(HttpContext context, long seq)
    {
        context.Response.ContentType = "text/event-stream";
        for (var i = 0; i < StreamEvents; i++)
        {
            await context.Response.WriteAsync(Event(seq, i), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(10, context.RequestAborted);
        }
    }

    /// <summary>The SSE event number <paramref name="i"/> of stream <paramref name="seq"/>.</summary>
    public static string Event(long seq, int i) => string.Create(CultureInfo.InvariantCulture, $"data: {seq} {i}\n\n");

    private static async Task UploadAsync(HttpContext context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(UploadAnswer(length, hash.GetHashAndReset()), context.RequestAborted);
    }

    /// <summary>What the upload endpoint answers for a body of <paramref name="length"/> bytes with this SHA-256.</summary>
    public static string UploadAnswer(long length, byte[] sha256) =>
        string.Create(CultureInfo.InvariantCulture, $"{length} {Convert.ToHexStringLower(sha256)}");

    private static async Task WebSocketEchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                return;
            }

            var text = "echo:" + Encoding.UTF8.GetString(buffer, 0, received.Count);
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }
}
