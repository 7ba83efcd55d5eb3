using TrafficActors.Kafka;

namespace TrafficActors.Web.Management;

/// <summary>The ingest consumer group's lag on the raw topic, per partition and in total.</summary>
public sealed record KafkaLagView(string Group, string Topic, long TotalLag, IReadOnlyList<PartitionLag> Partitions);
