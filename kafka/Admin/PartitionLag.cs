namespace TrafficActors.Kafka;

/// <summary>
/// One partition of a consumer group: committed offset (null = nothing committed yet), log end offset and the lag
/// between them (from the log start when nothing is committed).
/// </summary>
public sealed record PartitionLag(string Topic, int Partition, long? Committed, long LogStart, long LogEnd, long Lag);
