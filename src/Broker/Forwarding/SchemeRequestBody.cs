using System.Net;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Lets an auth scheme read or replace the request body (a signing scheme hashes it) although YARP forbids both: its
/// outgoing content streams the agent's body straight from <see cref="HttpRequest.Body"/>, can be read only once, and
/// must still be the same object after the transform. While the scheme runs, the request carries this content instead;
/// reading it reads the agent's body and keeps a copy, which then becomes the body YARP sends. A content the scheme put
/// in its place becomes the body YARP sends, with its headers. Either way YARP gets its own content object back.
/// </summary>
internal sealed class SchemeRequestBody : HttpContent
{
    private readonly HttpRequest _agentRequest;
    private readonly HttpRequestMessage _proxyRequest;
    private readonly HttpContent _original;
    private byte[]? _copy;

    private SchemeRequestBody(HttpRequest agentRequest, HttpRequestMessage proxyRequest, HttpContent original)
    {
        _agentRequest = agentRequest;
        _proxyRequest = proxyRequest;
        _original = original;
        CopyHeaders(original, this);
    }

    /// <summary>Puts a readable stand-in for the body on <paramref name="proxyRequest"/>; null when it has no body.</summary>
    public static SchemeRequestBody? Lend(HttpRequest agentRequest, HttpRequestMessage proxyRequest)
    {
        if (proxyRequest.Content is not { } original)
        {
            return null;
        }

        var lent = new SchemeRequestBody(agentRequest, proxyRequest, original);
        proxyRequest.Content = lent;
        return lent;
    }

    /// <summary>After the scheme ran: YARP's content goes back on the request, carrying the body and headers the scheme left.</summary>
    public async ValueTask ReturnAsync(CancellationToken cancellationToken)
    {
        var current = _proxyRequest.Content;
        _proxyRequest.Content = _original;
        if (ReferenceEquals(current, this))
        {
            CopyHeaders(this, _original);
            return;
        }

        if (current is null)
        {
            _agentRequest.Body = Stream.Null;
            _original.Headers.Clear();
            _original.Headers.ContentLength = 0;
            return;
        }

        _agentRequest.Body = await current.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        _agentRequest.HttpContext.Response.RegisterForDispose(current);
        CopyHeaders(current, _original);
    }

    /// <summary>Puts YARP's content back without taking anything over (the scheme failed; nothing is sent).</summary>
    public void Restore() => _proxyRequest.Content = _original;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_copy is { } copy)
        {
            await stream.WriteAsync(copy, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await _agentRequest.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            await stream.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        _copy = buffer.ToArray();
        _agentRequest.Body = new MemoryStream(_copy, writable: false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _copy?.Length ?? -1;
        return _copy is not null;
    }

    private static void CopyHeaders(HttpContent from, HttpContent to)
    {
        to.Headers.Clear();
        foreach (var (name, values) in from.Headers.NonValidated)
        {
            to.Headers.TryAddWithoutValidation(name, values);
        }
    }
}
