using Confluent.Kafka;

namespace TrafficActors.Ingest;

/// <summary>Reply to <see cref="GetIngestStatus"/>; <paramref name="Consumer"/> is null before the stream first started.</summary>
public sealed record IngestStatus(bool Running, IReadOnlyList<TopicPartition> Assignment, TrafficActors.Kafka.ConsumerMetrics? Consumer);
