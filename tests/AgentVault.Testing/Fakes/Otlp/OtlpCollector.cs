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

    /// <summary>Spans received so far (span fields: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, attributes 9, status 15).</summary>
    public List<OtlpSpan> Spans() =>
        [.. Items("/v1/traces").Select(i => new OtlpSpan(
            i.Scope, i.Item.Hex(1), i.Item.Hex(2), i.Item.Hex(4), i.Item.String(5) ?? string.Empty, (int)i.Item.Number(6), i.Item.Attributes(9),
            (int)(i.Item.Message(15)?.Number(3) ?? 0)))];

    /// <summary>Names of the metrics received (metric field name = 1).</summary>
    public HashSet<string> MetricNames() => [.. Items("/v1/metrics").Select(i => i.Item.String(1) ?? string.Empty)];

    /// <summary>Bodies of the log records received (log record field body = 5, an AnyValue).</summary>
    public List<string> LogBodies() =>
        [.. Items("/v1/logs").Select(i => i.Item.Message(5) is { } body ? ProtoFields.AnyValue(body) : string.Empty)];

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

    // Every OTLP export request has the same frame: resource_* (1) → scope_* (2) → scope (1, its name 1) and the items (2):
    // spans, metrics or log records.
    private IEnumerable<(string Scope, ProtoFields Item)> Items(string path) =>
        from body in Bodies(path)
        from resource in ProtoFields.Parse(body).Messages(1)
        from scoped in resource.Messages(2)
        let scope = scoped.Message(1)?.String(1) ?? string.Empty
        from item in scoped.Messages(2)
        select (scope, item);

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
