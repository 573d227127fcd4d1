using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Functional.Tests.Stores;

/// <summary>
/// An HTTPS upstream on 127.0.0.1 that records the path and <c>Authorization</c> header of every request on the server
/// side (a response echo would be redacted by the broker, so it could not show what was injected) and answers 200 <c>ok</c>.
/// </summary>
internal sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingUpstream(WebApplication app) => _app = app;

    public int Port { get; private set; }

    private readonly ConcurrentQueue<(string Path, string Authorization)> _received = new();

    /// <summary>The Authorization values received, in arrival order (empty string when absent).</summary>
    public IReadOnlyList<string> Authorizations => [.. _received.Select(r => r.Authorization)];

    /// <summary>The Authorization values received on <paramref name="path"/>, in arrival order (empty string when absent).</summary>
    public IReadOnlyList<string> AuthorizationsFor(string path) => [.. _received.Where(r => r.Path == path).Select(r => r.Authorization)];

    public static async Task<RecordingUpstream> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var upstream = new RecordingUpstream(app);
        app.Run(async context =>
        {
            upstream._received.Enqueue((context.Request.Path.Value ?? string.Empty, context.Request.Headers.Authorization.ToString()));
            await context.Response.WriteAsync("ok", context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.Port = new Uri(address).Port;
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
