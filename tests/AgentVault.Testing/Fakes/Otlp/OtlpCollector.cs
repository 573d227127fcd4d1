using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Otlp;

/// <summary>
/// An OpenTelemetry collector stand-in on 127.0.0.1: accepts OTLP/HTTP protobuf exports at <c>/v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c>, keeps every body as received, and decodes spans, metric names and log bodies
/// by the field numbers of opentelemetry-proto.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly FakeHttpHost _host;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

    private OtlpCollector(FakeHttpHost host) => _host = host;

    /// <summary>The base URL to give <c>--otlp-endpoint</c>, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Endpoint => _host.Address.AbsoluteUri.TrimEnd('/');

    /// <summary>Requests that were not a protobuf POST to a known signal path (must stay empty).</summary>
    public ConcurrentQueue<string> Rejected { get; } = new();

    public static async Task<OtlpCollector> StartAsync()
    {
        OtlpCollector? collector = null;
        var host = await FakeHttpHost.StartAsync(context => collector!.ReceiveAsync(context));
        collector = new OtlpCollector(host);
        return collector;
    }

    /// <summary>Every export body received so far for <paramref name="path"/> (<c>/v1/traces</c>, …).</summary>
    public IReadOnlyList<byte[]> Bodies(string path) => [.. _exports.Where(e => e.Path == path).Select(e => e.Body)];

    /// <summary>Every body of every signal as text (protobuf strings are plain UTF-8), for looking for a secret.</summary>
    public string AllText() => string.Join("\n", _exports.Select(e => Encoding.UTF8.GetString(e.Body)));

    /// <summary>Spans received so far: ExportTraceServiceRequest.resource_spans(1).scope_spans(2).spans(2).</summary>
    public List<OtlpSpan> Spans()
    {
        var spans = new List<OtlpSpan>();
        foreach (var body in Bodies("/v1/traces"))
        {
            foreach (var scopeSpans in ProtoFields.Parse(body).Messages(1).SelectMany(r => r.Messages(2)))
            {
                var scope = scopeSpans.Message(1)?.String(1) ?? string.Empty;
                spans.AddRange(scopeSpans.Messages(2).Select(s => new OtlpSpan(
                    scope, s.Hex(1), s.Hex(2), s.Hex(4), s.String(5) ?? string.Empty, (int)s.Number(6), s.Attributes(9), (int)(s.Message(15)?.Number(3) ?? 0))));
            }
        }

        return spans;
    }

    /// <summary>Names of the metrics received: resource_metrics(1).scope_metrics(2).metrics(2).name(1).</summary>
    public HashSet<string> MetricNames() =>
        [.. Bodies("/v1/metrics").SelectMany(b => ProtoFields.Parse(b).Messages(1)).SelectMany(r => r.Messages(2)).SelectMany(s => s.Messages(2)).Select(m => m.String(1) ?? string.Empty)];

    /// <summary>Bodies of the log records received: resource_logs(1).scope_logs(2).log_records(2).body(5).</summary>
    public List<string> LogBodies() =>
        [.. Bodies("/v1/logs").SelectMany(b => ProtoFields.Parse(b).Messages(1)).SelectMany(r => r.Messages(2)).SelectMany(s => s.Messages(2))
            .Select(l => l.Message(5) is { } body ? ProtoFields.AnyValue(body) : string.Empty)];

    /// <summary>Polls until <paramref name="done"/> holds (exports arrive in batches), with a deadline.</summary>
    public async Task<T> WaitForAsync<T>(Func<OtlpCollector, T> read, Func<T, bool> done, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        T value;
        do
        {
            value = read(this);
            if (done(value))
            {
                return value;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);

        throw new TimeoutException($"the collector never received {what}; it has {_exports.Count} exports, rejected: {string.Join("; ", Rejected)}");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (context.Request.Method != "POST" || path is not ("/v1/traces" or "/v1/metrics" or "/v1/logs") ||
            context.Request.ContentType != "application/x-protobuf")
        {
            Rejected.Enqueue($"{context.Request.Method} {path} {context.Request.ContentType}");
            context.Response.StatusCode = 404;
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        _exports.Enqueue((path, buffer.ToArray()));
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = 200;
    }
}
