using TrafficActors.Kafka;
using TrafficActors.Web.Api;

namespace TrafficActors.Web.Management;

/// <summary>
/// The ingest consumer group's lag on the raw topic, per partition and in total, and the answering node's own
/// consumer state (null on a node without the ingest role or before its stream started).
/// </summary>
public sealed record KafkaLagView(string Group, string Topic, long TotalLag, IReadOnlyList<PartitionLag> Partitions, IngestView? Consumer);
