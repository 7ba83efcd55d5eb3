using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Kafka;
using TrafficActors.Settings;

namespace TrafficActors.Web.Health;

/// <summary>
/// <c>kafka_brokers</c>: a broker of the Kafka cluster answers a metadata request about <paramref name="topic"/>.
/// Asked through the node's lag reader, whose admin client already holds connections to the cluster, so the check
/// opens none of its own.
/// </summary>
public sealed class KafkaBrokersCheck(ConsumerLagReader kafka, string topic, HealthSettings health, TimeProvider clock) : IHealthCheck
{
    public const string Name = "kafka_brokers";

    private readonly CachedProbe _probe = new("Kafka brokers", health.KafkaTimeout, health.CacheFor, clock);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _probe.CheckAsync(async ct =>
        {
            var started = Stopwatch.GetTimestamp();
            var metadata = await kafka.BrokersAsync(topic, health.KafkaTimeout, ct).ConfigureAwait(false);
            return HealthCheckResult.Healthy(
                $"{metadata.Brokers.Count} brokers, metadata from broker {metadata.OriginatingBrokerId} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
        }, cancellationToken);
}
