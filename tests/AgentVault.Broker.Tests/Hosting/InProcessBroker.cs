using System.Net;
using AgentVault.Broker.Server;
using AgentVault.Broker.Tests.Proxy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Tests.Hosting;

/// <summary>
/// Broker features on real Kestrel listeners (127.0.0.1:0) in this process, over the fakes a harness registers: the one place
/// the unit tests build such a host, capture its log (every level), register its options and clock, start it, find its
/// addresses and stop it. A harness keeps only what is specific to its feature (services, pipeline, listener setup).
/// </summary>
internal sealed class InProcessBroker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessBroker(WebApplication app, CollectingLoggerProvider logs, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Logs = logs;
        Addresses = addresses;
    }

    /// <summary>One address per listener, in the order Kestrel reports them.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    public CollectingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds and starts the host.</summary>
    /// <param name="options">Registered as the server's options.</param>
    /// <param name="clock">Registered as the <see cref="TimeProvider"/>.</param>
    /// <param name="listeners">One loopback listener on an ephemeral port per entry; each entry sets that listener up.</param>
    /// <param name="services">Registers the feature under test and its fakes.</param>
    /// <param name="pipeline">Prepares the built application (state of the fakes, middleware, endpoints) before it starts.</param>
    public static async Task<InProcessBroker> StartAsync(
        ServerOptions options,
        TimeProvider clock,
        IReadOnlyList<Action<ListenOptions>> listeners,
        Action<IServiceCollection> services,
        Action<WebApplication> pipeline)
    {
        var logs = new CollectingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.WebHost.UseKestrel(kestrel =>
        {
            foreach (var listener in listeners)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listener);
            }
        });
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(clock);
        services(builder.Services);
        var app = builder.Build();
        try
        {
            pipeline(app);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new InProcessBroker(app, logs, [.. addresses.Select(a => new Uri(a))]);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
