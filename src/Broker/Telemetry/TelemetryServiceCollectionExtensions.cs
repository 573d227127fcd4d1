using AgentVault.Abstractions.Diagnostics;
using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentVault.Broker.Telemetry;

/// <summary>
/// Registers the OpenTelemetry resource (service name, version, instance) and, with <c>--otlp-endpoint</c>, the export of
/// traces (<see cref="BrokerTracing"/> and plugin spans), metrics (every meter <c>/metrics</c> serves) and the server log
/// over OTLP/HTTP with protobuf. The standard <c>OTEL_*</c> variables of the .NET SDK still apply (headers, sampler, batch
/// delays); <c>OTEL_EXPORTER_OTLP_PROTOCOL=grpc</c> switches to gRPC, the endpoint then taken as it is.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    public const string ServiceName = "agent-vault";

    private const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddAgentVaultTelemetry(this IServiceCollection services, ServerOptions options)
    {
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: BrokerVersion.Informational));
        if (options.OtlpEndpoint is not { } endpoint)
        {
            return services;
        }

        var grpc = string.Equals(Environment.GetEnvironmentVariable(ProtocolVariable), "grpc", StringComparison.OrdinalIgnoreCase);
        telemetry
            .WithTracing(tracing => tracing
                .AddSource(BrokerTracing.SourceName, PluginTelemetry.SourceName)
                .AddOtlpExporter(o => Export(o, endpoint, grpc, "v1/traces")))
            .WithMetrics(metrics => metrics.AddOtlpExporter(o => Export(o, endpoint, grpc, "v1/metrics")))
            .WithLogging(
                logging => logging.AddOtlpExporter(o => Export(o, endpoint, grpc, "v1/logs")),
                o =>
                {
                    o.IncludeFormattedMessage = true;
                    o.IncludeScopes = false;
                });
        return services;
    }

    // Each signal has its own path under the endpoint (as OTEL_EXPORTER_OTLP_ENDPOINT does), and its own HttpClient: not one
    // from IHttpClientFactory, whose request logging would feed the log export with its own sends.
    private static void Export(OtlpExporterOptions options, Uri endpoint, bool grpc, string signalPath)
    {
        options.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = grpc ? endpoint : new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        options.TimeoutMilliseconds = (int)ExportTimeout.TotalMilliseconds;
        options.HttpClientFactory = () => new HttpClient { Timeout = ExportTimeout };
    }
}
