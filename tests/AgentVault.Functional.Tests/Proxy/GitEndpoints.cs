using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// Smart-HTTP git endpoints for a <see cref="AgentVault.Testing.Upstream.TestUpstream"/> (its <c>endpoints</c> hook): every
/// request under <c>/basic/</c> or <c>/bearer/</c> runs <c>git http-backend</c> as a CGI, after checking the
/// <c>Authorization</c> header. <c>/basic/</c> requires <c>Basic base64(user:token)</c>, <c>/bearer/</c> requires
/// <c>Bearer token</c>; a missing or wrong credential gets 401 with <c>WWW-Authenticate</c>. Serves the bare repositories
/// under <see cref="Root"/>.
/// </summary>
public sealed class GitEndpoints(string root, string user, string token)
{
    private const string Backend = "/usr/lib/git-core/git-http-backend";
    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal)
    {
        ["/basic"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + token)),
        ["/bearer"] = "Bearer " + token,
    };

    private int _authorized;
    private int _refused;

    public string Root { get; } = root;

    /// <summary>Requests that carried the required credential and went to git.</summary>
    public int Authorized => Volatile.Read(ref _authorized);

    /// <summary>Requests answered with 401.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Maps <c>/basic/**</c> and <c>/bearer/**</c> (pass as the upstream's <c>endpoints</c>).</summary>
    public void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var prefix in _expected.Keys)
        {
            endpoints.Map(prefix + "/{**path}", HandleAsync);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var prefix = _expected.Keys.FirstOrDefault(p => path.StartsWith(p + "/", StringComparison.Ordinal));
        if (prefix is null || context.Request.Headers.Authorization.ToString() != _expected[prefix])
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return;
        }

        Interlocked.Increment(ref _authorized);
        await RunBackendAsync(context, path[prefix.Length..]);
    }

    // RFC 3875 CGI: request meta-variables in the environment, the body on stdin, "Status:" and headers then the body on stdout.
    private async Task RunBackendAsync(HttpContext context, string pathInfo)
    {
        var request = context.Request;
        var start = new ProcessStartInfo(Backend) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["GIT_PROJECT_ROOT"] = Root;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
        start.Environment["SERVER_PROTOCOL"] = "HTTP/1.1";
        start.Environment["REQUEST_METHOD"] = request.Method;
        start.Environment["PATH_INFO"] = pathInfo;
        start.Environment["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        start.Environment["CONTENT_TYPE"] = request.ContentType ?? string.Empty;
        start.Environment["REMOTE_USER"] = "agent";
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        start.Environment["HTTP_CONTENT_ENCODING"] = request.Headers.ContentEncoding.ToString();
        start.Environment["GIT_PROTOCOL"] = request.Headers["Git-Protocol"].ToString();

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        start.Environment["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git http-backend did not start");
        var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output, context.RequestAborted);
        var errors = process.StandardError.ReadToEndAsync(context.RequestAborted);
        body.Position = 0;
        await body.CopyToAsync(process.StandardInput.BaseStream, context.RequestAborted);
        process.StandardInput.Close();
        await reading;
        await errors;
        await process.WaitForExitAsync(context.RequestAborted);
        await WriteCgiResponseAsync(context, output.ToArray());
    }

    private static async Task WriteCgiResponseAsync(HttpContext context, byte[] output)
    {
        var end = IndexOf(output, "\r\n\r\n"u8, out var separator);
        if (end < 0)
        {
            end = IndexOf(output, "\n\n"u8, out separator);
        }

        if (end < 0)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        foreach (var line in Encoding.ASCII.GetString(output, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers.Append(name, value);
            }
        }

        var bodyStart = end + separator;
        context.Response.ContentLength = output.Length - bodyStart;
        await context.Response.Body.WriteAsync(output.AsMemory(bodyStart), context.RequestAborted);
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle, out int length)
    {
        length = needle.Length;
        return haystack.AsSpan().IndexOf(needle);
    }
}
