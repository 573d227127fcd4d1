using System.Text;
using AgentVault.Broker.Forwarding;
using BenchmarkDotNet.Attributes;

namespace AgentVault.Bench.Micro;

/// <summary>
/// Redaction scan: a 1 MiB text response streamed through the redacting body wrapper in 16 KiB writes (as Kestrel hands the
/// forwarder's copy loop), without and with one occurrence of the secret; a header value; and building the per-response
/// redactor (the patterns are cached per value, so this is the price of every request with <c>redact: on</c>).
/// </summary>
[MemoryDiagnoser]
public class RedactionBenchmarks
{
    private const int Chunk = 16 * 1024;
    private const string Secret = "bench-secret-value";
    private readonly string[] _values = [Secret];
    private readonly byte[] _clean = new byte[1 << 20];
    private readonly byte[] _leaking = new byte[1 << 20];
    private Redactor _redactor = null!;

    [GlobalSetup]
    public void Setup()
    {
        Array.Fill(_clean, (byte)'a');
        Array.Fill(_leaking, (byte)'a');
        // Across a write boundary, so the held-back tail is exercised too.
        Encoding.ASCII.GetBytes(Secret).CopyTo(_leaking, (8 * Chunk) - 5);
        _redactor = new Redactor(_values);
    }

    [Benchmark]
    public Task Scan1MiBClean() => ScanAsync(_clean);

    [Benchmark]
    public Task Scan1MiBOneMatch() => ScanAsync(_leaking);

    [Benchmark]
    public string HeaderValue() => _redactor.RedactText("https://api.example.com/v1/items?page=2&per_page=100");

    [Benchmark]
    public int NewRedactor() => new Redactor(_values).MaxPatternLength;

    private async Task ScanAsync(byte[] body)
    {
        await using var stream = new RedactingStream(Stream.Null);
        stream.Activate(new Redactor(_values));
        for (var offset = 0; offset < body.Length; offset += Chunk)
        {
            await stream.WriteAsync(body.AsMemory(offset, Chunk), CancellationToken.None);
        }

        await stream.CompleteAsync(CancellationToken.None);
    }
}
