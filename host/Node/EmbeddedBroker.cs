using TrafficActors.Kafka.Testkit;
using TrafficActors.Settings;

namespace TrafficActors.Host.Node;

/// <summary>The embedded broker as the pipeline needs it: its five topics with their configured partitions.</summary>
public static class EmbeddedBroker
{
    /// <summary>Starts <paramref name="brokers"/> (default: the configured count) mock brokers and creates the topics.</summary>
    public static EmbeddedKafkaCluster StartEmbedded(this KafkaSettings kafka, int? brokers = null)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        var cluster = EmbeddedKafkaCluster.Start(brokers ?? kafka.EmbeddedBrokers);
        cluster.CreateTopic(kafka.RawTopic, kafka.RawPartitions);
        cluster.CreateTopic(kafka.EnrichedTopic, kafka.EnrichedPartitions);
        cluster.CreateTopic(kafka.AlertsTopic, kafka.AlertsPartitions);
        cluster.CreateTopic(kafka.DlqTopic, kafka.DlqPartitions);
        // The mock broker keeps every record (no compaction): readers take the newest record per key.
        cluster.CreateTopic(kafka.WindowsTopic, kafka.WindowsPartitions);
        return cluster;
    }
}
