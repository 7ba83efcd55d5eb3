using Confluent.Kafka;

namespace TrafficActors.Ingest;

/// <summary>Reply to <see cref="GetIngestStatus"/>.</summary>
public sealed record IngestStatus(bool Running, IReadOnlyList<TopicPartition> Assignment);
