using System.Text;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Model;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Bench.Micro;

/// <summary>
/// Substitution: replacing placeholders by a credential in the outgoing request (path and query, a header, a 4 KiB JSON
/// body), the common case of a request without any placeholder, and the byte replacer alone over 64 KiB.
/// </summary>
[MemoryDiagnoser]
public class SubstitutionBenchmarks : IDisposable
{
    private const string Secret = "123456789:AAH-bench_secret-value-0123456789abcdef";
    private readonly StaticCredentials _credentials = new(new Dictionary<string, string> { ["TG"] = Secret });
    private readonly Uri _withPlaceholder = new("https://api.telegram.org/bot__tg_token__/sendMessage?chat_id=42&text=hello");
    private readonly Uri _withoutPlaceholder = new("https://api.telegram.org/getUpdates?offset=17&timeout=0");
    private SubstitutionSet _uriSet = null!;
    private SubstitutionSet _headerSet = null!;
    private SubstitutionSet _bodySet = null!;
    private HttpRequestMessage _request = null!;
    private DefaultHttpContext _context = null!;
    private byte[] _jsonBody = null!;
    private byte[] _largeText = null!;
    private ByteReplacer _replacer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _uriSet = Compile(null);
        _headerSet = Compile(["header"]);
        _bodySet = Compile(["body"]);
        _request = new HttpRequestMessage(HttpMethod.Post, _withoutPlaceholder);
        _context = new DefaultHttpContext();
        var json = new StringBuilder("{\"token\":\"__tg_token__\",\"items\":[");
        while (json.Length < 4000)
        {
            json.Append("{\"id\":12345,\"name\":\"an ordinary string value\"},");
        }

        _jsonBody = Encoding.UTF8.GetBytes(json.Append("{}]}").ToString());
        _largeText = new byte[64 * 1024];
        Array.Fill(_largeText, (byte)'a');
        "__tg_token__"u8.CopyTo(_largeText.AsSpan(_largeText.Length / 2));
        _replacer = new ByteReplacer([("__tg_token__"u8.ToArray(), Encoding.UTF8.GetBytes(Secret))]);
    }

    [Benchmark]
    public ValueTask PathAndQuery()
    {
        _request.RequestUri = _withPlaceholder;
        return _uriSet.ApplyAsync(_request, _context.Request, _credentials, CancellationToken.None);
    }

    /// <summary>A service with substitutions, a request without placeholders: the price every such request pays.</summary>
    [Benchmark]
    public ValueTask NoPlaceholder()
    {
        _request.RequestUri = _withoutPlaceholder;
        return _uriSet.ApplyAsync(_request, _context.Request, _credentials, CancellationToken.None);
    }

    [Benchmark]
    public ValueTask Header()
    {
        _request.Headers.Remove("X-Telegram-Token");
        _request.Headers.TryAddWithoutValidation("X-Telegram-Token", "__tg_token__");
        return _headerSet.ApplyAsync(_request, _context.Request, _credentials, CancellationToken.None);
    }

    [Benchmark]
    public ValueTask JsonBody4KiB()
    {
        _request.Content ??= new ByteArrayContent([]);
        _context.Request.ContentType = "application/json";
        _context.Request.ContentLength = _jsonBody.Length;
        _context.Request.Body = new MemoryStream(_jsonBody, writable: false);
        return _bodySet.ApplyAsync(_request, _context.Request, _credentials, CancellationToken.None);
    }

    [Benchmark]
    public int ByteReplacer64KiB() => _replacer.Replace(_largeText)?.Length ?? 0;

    [GlobalCleanup]
    public void Dispose()
    {
        _request?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static SubstitutionSet Compile(List<string>? surfaces) =>
        SubstitutionSet.Compile([new SubstitutionDefinition { Key = "TG", Placeholder = "__tg_token__", In = surfaces }]);
}
