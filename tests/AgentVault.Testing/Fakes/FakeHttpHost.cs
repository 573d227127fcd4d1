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
/// secret managers. While <see cref="Stopped"/> is set every connection is aborted, as if the server were down; while
/// <see cref="Fault"/> is set every request meets that fault.
/// </summary>
public sealed class FakeHttpHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _refused;
    private int _faulted;
    private volatile StoreFault _fault;
    private TaskCompletionSource _hangRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    /// <summary>The fault every request meets from now on; setting another value releases the requests held by <see cref="StoreFault.Hang"/>.</summary>
    public StoreFault Fault
    {
        get => _fault;
        set
        {
            _fault = value;
            if (value != StoreFault.Hang)
            {
                ReleaseHung();
            }
        }
    }

    /// <summary>How long <see cref="StoreFault.Slow"/> delays each answer.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many requests met a <see cref="Fault"/> (counted when they arrive).</summary>
    public int FaultedRequests => Volatile.Read(ref _faulted);

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

            if (host.Fault is not StoreFault.None and var fault)
            {
                Interlocked.Increment(ref host._faulted);
                if (!await host.ApplyFaultAsync(fault, context))
                {
                    return;
                }
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
        ReleaseHung();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Injects <paramref name="fault"/>; true when the request is then to be answered normally.</summary>
    private async Task<bool> ApplyFaultAsync(StoreFault fault, HttpContext context)
    {
        try
        {
            switch (fault)
            {
                case StoreFault.Slow:
                    await Task.Delay(SlowDelay, context.RequestAborted);
                    return true;
                case StoreFault.Error:
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("{\"errors\":[\"Vault is sealed\"]}", context.RequestAborted);
                    return false;
                case StoreFault.Hang:
                    await Volatile.Read(ref _hangRelease).Task.WaitAsync(context.RequestAborted);
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up first.
        }

        context.Abort();
        return false;
    }

    private void ReleaseHung() =>
        Interlocked.Exchange(ref _hangRelease, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
