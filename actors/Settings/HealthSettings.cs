using Akka.Configuration;

namespace TrafficActors.Settings;

/// <summary>
/// The <c>traffic.management.health</c> section: how long the readiness checks of external dependencies (journal
/// database, Kafka brokers) may wait for an answer, and how long one answer is reused.
/// </summary>
public sealed record HealthSettings(TimeSpan CacheFor, TimeSpan DatabaseTimeout, TimeSpan KafkaTimeout)
{
    public static HealthSettings FromConfig(Config health) => new(
        health.GetTimeSpan("cache-for"), health.GetTimeSpan("database-timeout"), health.GetTimeSpan("kafka-timeout"));
}
