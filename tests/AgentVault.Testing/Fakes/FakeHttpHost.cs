using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Testing.Fakes;

/// <summary>
/// A plain-HTTP Kestrel server on 127.0.0.1 (a free port, or a given one) running one request handler; used by the fake
/// secret managers. While <see cref="Stopped"/> is set every connection is aborted, as if the server were down.
/// </summary>
public sealed class FakeHttpHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _refused;

    private FakeHttpHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    /// <summary>When true, connections are aborted without an answer (the client sees a network error).</summary>
    public bool Stopped { get; set; }

    /// <summary>How many requests were aborted because the server was <see cref="Stopped"/>.</summary>
    public int RefusedRequests => Volatile.Read(ref _refused);

    /// <summary>Starts the server; <paramref name="port"/> 0 picks a free port.</summary>
    public static async Task<FakeHttpHost> StartAsync(Func<HttpContext, Task> handler, int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        FakeHttpHost? host = null;
        app.Run(async context =>
        {
            if (host!.Stopped)
            {
                Interlocked.Increment(ref host._refused);
                context.Abort();
                return;
            }

            await handler(context);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new FakeHttpHost(app, new Uri(address.TrimEnd('/') + "/"));
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
