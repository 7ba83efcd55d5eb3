using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>A message on its way from the polling thread to the stage, tied to the assignment it came from.</summary>
internal readonly record struct PolledMessage(ConsumeResult<byte[]?, byte[]?> Result, PartitionTracker Tracker);
