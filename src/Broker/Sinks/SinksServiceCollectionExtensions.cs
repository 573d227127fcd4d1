using AgentVault.Broker.Outbound;
using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Sinks;

/// <summary>Registers the audit sinks of <c>--audit-sink</c> (nothing when none is given).</summary>
internal static class SinksServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultSinks(this IServiceCollection services, ServerOptions options)
    {
        if (options.AuditSinks.Count == 0)
        {
            return services;
        }

        services.AddSingleton<IReadOnlyList<AuditSink>>(sp => Create(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<AuditSinkDispatcher>();
        return services;
    }

    private static List<AuditSink> Create(ServerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AuditSink).FullName!);
        OutboundTrust? trust = null;
        var sinks = new List<AuditSink>();
        foreach (var text in options.AuditSinks)
        {
            if (!SinkAddress.TryParse(text, out var address, out var problem))
            {
                throw new InvalidOperationException($"--audit-sink: {problem}");
            }

            ISinkWriter writer = address!.Kind == SinkKind.File
                ? new FileSinkWriter(address.Target)
                : new SyslogSinkWriter(address, trust ??= OutboundTrust.Load(options.UpstreamCa), logger);
            sinks.Add(new AuditSink(address.Name, writer, time, logger));
        }

        return sinks;
    }
}
