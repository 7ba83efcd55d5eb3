using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TrafficActors.Generator;
using TrafficActors.Settings;
using TrafficActors.Tracing;

namespace TrafficActors.Host.Telemetry;

/// <summary>
/// Traces of single events (<see cref="PipelineTracing"/>, <see cref="GeneratorTracing"/>) exported over OTLP. A
/// trace is sampled where it starts, by <c>traffic.telemetry.tracing.sampling-ratio</c>, in the code that starts it
/// (<see cref="Kafka.KafkaTracing.StartsTrace"/>), so the tracer records every root it is asked for; a span with a
/// parent follows the parent's decision, and a record that arrives with a <c>traceparent</c> keeps its producer's.
/// </summary>
public static class TrafficTracing
{
    public const string GeneratorServiceName = "traffic-generator";

    /// <summary>Records and exports the node's spans, when tracing is on and an OTLP endpoint is configured.</summary>
    public static IServiceCollection AddTrafficTracing(this IServiceCollection services, TracingSettings tracing, OtlpSettings otlp)
    {
        if (!tracing.Enabled || !otlp.Enabled) return services;
        services.AddOpenTelemetry().WithTracing(t => Configure(t, otlp));
        return services;
    }

    /// <summary>
    /// The tracer of <c>traffic generate</c>, which runs no host: null when nothing is traced. Disposing it sends
    /// what is still buffered.
    /// </summary>
    public static TracerProvider? CreateGeneratorTracer(TracingSettings tracing, OtlpSettings otlp)
    {
        if (!tracing.Enabled || !otlp.Enabled) return null;
        var builder = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(GeneratorServiceName, serviceVersion: TrafficMetrics.Version));
        return Configure(builder, otlp).Build();
    }

    /// <summary>The metrics exporter's settings, from the same section as the traces'.</summary>
    internal static void ConfigureExporter(OtlpExporterOptions o, OtlpSettings otlp, string signal)
    {
        o.Endpoint = otlp.SignalEndpoint(signal)!;
        o.Protocol = otlp.Protocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }

    private static TracerProviderBuilder Configure(TracerProviderBuilder t, OtlpSettings otlp) => t
        .AddSource(PipelineTracing.SourceName, GeneratorTracing.SourceName)
        .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
        .AddOtlpExporter(o => ConfigureExporter(o, otlp, "traces"));
}
