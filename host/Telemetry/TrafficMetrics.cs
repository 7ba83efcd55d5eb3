using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using TrafficActors.Host.Management;
using TrafficActors.Metrics;
using TrafficActors.Settings;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Telemetry;

/// <summary>
/// The node's metrics on OpenTelemetry: its own meters, .NET runtime, process and ASP.NET Core server instruments,
/// exported in Prometheus format at <c>/metrics</c> of the management listener and, when
/// <c>traffic.telemetry.otlp.endpoint</c> is set, over OTLP. Also the OpenTelemetry resource every signal of the
/// node shares.
/// </summary>
public static class TrafficMetrics
{
    public const string ServiceName = "traffic-actors";

    public const string ScrapePath = "/metrics";

    public static IServiceCollection AddTrafficMetrics(
        this IServiceCollection services, TrafficSettings settings, ManagementSettings management, MetricsSettings metrics, OtlpSettings otlp,
        PipelineMetrics pipeline)
    {
        services.AddSingleton(new NodeGauges(pipeline.Meter));
        services.AddHostedService(sp => new ManagementGauges(sp, settings, management));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(ServiceName, serviceVersion: Version, autoGenerateServiceInstanceId: false)
                .AddDetector(sp => new NodeAddressDetector(sp)))
            .WithMetrics(m =>
            {
                m.AddMeter(MetricNames.PipelineMeter, PersistenceMetrics.MeterName)
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation()
                    .AddAspNetCoreInstrumentation()
                    // Without scope labels the names and label sets stay those operators and dashboards know.
                    .AddPrometheusExporter(o => o.ScopeInfoEnabled = false);
                if (otlp.Enabled) m.AddOtlpExporter(o => TrafficTracing.ConfigureExporter(o, otlp, "metrics"));
            });
        // The view needs this host's meter factory, which exists only once the service provider does.
        services.ConfigureOpenTelemetryMeterProvider((sp, m) =>
            m.AddView(i => View(i, pipeline.Meter, sp.GetRequiredService<IMeterFactory>(), metrics.LatencyBuckets)));
        return services;
    }

    /// <summary><c>GET /metrics</c>, on the management listener only.</summary>
    public static IEndpointConventionBuilder MapTrafficMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(ScrapePath).WithMetadata(ListenerMetadata.Management);

    /// <summary>
    /// A node exports only its own instruments: several nodes can share a process (tests), each with a pipeline meter
    /// of the same name and its own ASP.NET Core meters, and every provider in the process sees all of them. Our
    /// latency histograms take the configured buckets; everything else keeps its defaults.
    /// </summary>
    private static MetricStreamConfiguration? View(Instrument instrument, Meter own, IMeterFactory factory, IReadOnlyList<double> buckets)
    {
        var meter = instrument.Meter;
        if (meter.Name == MetricNames.PipelineMeter && !ReferenceEquals(meter, own)) return MetricStreamConfiguration.Drop;
        if (meter.Scope is IMeterFactory other && !ReferenceEquals(other, factory)) return MetricStreamConfiguration.Drop;
        if (instrument is Histogram<double> && (ReferenceEquals(meter, own) || meter.Name == PersistenceMetrics.MeterName))
            return new ExplicitBucketHistogramConfiguration { Boundaries = buckets.ToArray() };
        return null;
    }

    internal static string? Version =>
        typeof(TrafficMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
}
