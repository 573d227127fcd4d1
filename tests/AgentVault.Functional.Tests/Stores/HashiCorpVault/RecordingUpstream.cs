using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Functional.Tests.Stores.HashiCorpVault;

/// <summary>
/// An HTTPS upstream for <c>api.upstream.test</c> that records the <c>Authorization</c> header of every request by path
/// and answers a fixed text. It records on the server side because the broker redacts injected values from responses,
/// so an echo would not show what was injected.
/// </summary>
internal sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string? Authorization)> _received = new();

    private RecordingUpstream(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>The Authorization headers received on <paramref name="path"/>, in order.</summary>
    public IReadOnlyList<string?> AuthorizationsFor(string path) => [.. _received.Where(r => r.Path == path).Select(r => r.Authorization)];

    public static async Task<RecordingUpstream> StartAsync(StoreTestCa ca)
    {
        var certificate = ca.Issue("api.upstream.test");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var upstream = new RecordingUpstream(app);
        app.Run(context =>
        {
            upstream._received.Enqueue((context.Request.Path.Value ?? string.Empty, context.Request.Headers.Authorization.FirstOrDefault()));
            return context.Response.WriteAsync("upstream ok", context.RequestAborted);
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
