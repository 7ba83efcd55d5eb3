using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Kafka;
using TrafficActors.Metrics;

namespace TrafficActors.Web.Health;

/// <summary><c>ingest_progress</c>: fails while the consumer's watchdog finds assigned partitions that stopped delivering.</summary>
public sealed class IngestProgressCheck(PipelineMetrics metrics) : IHealthCheck
{
    public const string Name = "ingest_progress";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Evaluate(metrics.Ingest));

    public static HealthCheckResult Evaluate(ConsumerMetrics? consumer)
    {
        if (consumer is null) return HealthCheckResult.Healthy("consumer starting");
        if (consumer.Stalled.Count > 0)
            return HealthCheckResult.Unhealthy($"stalled: no message although the broker holds more from {KafkaPartitionsCheck.Describe(consumer.Stalled)}");
        return HealthCheckResult.Healthy(consumer.Paused
            ? $"paused for backpressure, {consumer.Buffered} buffered"
            : $"fetching, {consumer.Buffered} buffered");
    }
}
