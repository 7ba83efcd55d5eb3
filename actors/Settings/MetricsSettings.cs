using Akka.Configuration;

namespace TrafficActors.Settings;

/// <summary>The <c>traffic.telemetry.metrics</c> section: what the node's metrics exporters record.</summary>
public sealed record MetricsSettings(IReadOnlyList<double> LatencyBuckets, TimeSpan KafkaStatisticsInterval)
{
    public static MetricsSettings FromConfig(Config root)
    {
        var m = root.GetConfig("traffic.telemetry.metrics") ?? throw new ConfigurationException("missing `traffic.telemetry.metrics` section");
        var buckets = m.GetDoubleList("latency-buckets").ToArray();
        if (buckets.Length == 0 || buckets.Zip(buckets.Skip(1)).Any(p => p.Item1 >= p.Item2))
            throw new ConfigurationException("traffic.telemetry.metrics.latency-buckets must be a non-empty list of increasing bounds");
        var interval = m.GetTimeSpan("kafka-statistics-interval");
        if (interval < TimeSpan.Zero)
            throw new ConfigurationException("traffic.telemetry.metrics.kafka-statistics-interval must be 0s (off) or positive");
        return new MetricsSettings(buckets, interval);
    }
}
