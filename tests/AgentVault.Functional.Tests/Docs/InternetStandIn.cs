using System.Net;
using AgentVault.Testing.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentVault.Functional.Tests.Docs;

/// <summary>
/// The public APIs the documents call, stood in for on 127.0.0.1:443 (the broker reaches them through
/// <c>AGENT_VAULT_RESOLVE</c> and trusts <see cref="Ca"/> through <c>AGENT_VAULT_UPSTREAM_CA</c>). Each answers like the real
/// API when the request carries the key the reader stored, and 401 otherwise, so a broken injection fails the test.
/// </summary>
internal sealed class InternetStandIn : IAsyncDisposable
{
    public static readonly string[] Hosts = ["api.openai.com", "api.anthropic.com", "api.github.com"];

    private readonly WebApplication _app;

    private InternetStandIn(WebApplication app, TestCertificateAuthority ca)
    {
        _app = app;
        Ca = ca;
    }

    public TestCertificateAuthority Ca { get; }

    /// <summary>The value of <c>AGENT_VAULT_RESOLVE</c> that sends every stood-in host here.</summary>
    public static string Resolve => string.Join(',', Hosts.Select(h => h + ":127.0.0.1"));

    public static async Task<InternetStandIn> StartAsync(IReadOnlyDictionary<string, string> keys)
    {
        var ca = new TestCertificateAuthority("Docs Internet Stand-in CA");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = ca.IssueServerCertificate(Hosts);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 443, l => l.UseHttps(certificate)));
        var app = builder.Build();
        app.Run(context => AnswerAsync(context, keys));
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException("the stand-in for the public APIs needs 127.0.0.1:443 (run the tests as root, as CI does)", ex);
        }

        return new InternetStandIn(app, ca);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Ca.Dispose();
    }

    private static Task AnswerAsync(HttpContext context, IReadOnlyDictionary<string, string> keys)
    {
        var request = context.Request;
        var (authorized, body) = request.Host.Host switch
        {
            "api.openai.com" when request.Path == "/v1/models" =>
                (request.Headers.Authorization == "Bearer " + keys["OPENAI_API_KEY"],
                 "{\n  \"object\": \"list\",\n  \"data\": [\n    {\n      \"id\": \"gpt-4o-mini\",\n      \"object\": \"model\",\n      \"created\": 1721172741,\n      \"owned_by\": \"system\"\n    }\n  ]\n}\n"),
            "api.anthropic.com" when request.Path == "/v1/models" =>
                (request.Headers["x-api-key"] == keys["ANTHROPIC_API_KEY"], "{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\"}],\"has_more\":false}\n"),
            "api.github.com" when request.Path == "/user" =>
                (request.Headers.Authorization == "Bearer " + keys["GITHUB_TOKEN"], "{\n  \"login\": \"octocat\",\n  \"id\": 583231\n}\n"),
            _ => (false, string.Empty),
        };

        context.Response.ContentType = "application/json";
        if (body.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync("{\"message\":\"Not Found\"}\n");
        }

        if (!authorized)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return context.Response.WriteAsync("{\"error\":{\"message\":\"Incorrect API key provided\"}}\n");
        }

        return context.Response.WriteAsync(body);
    }
}
