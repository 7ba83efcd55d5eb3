namespace TrafficActors.Windows;

/// <summary>
/// What an ingest node reports of one raw-data partition it consumes: the highest event time among the records it
/// has fully processed (every alert durably counted), null while it has processed none, and whether the partition
/// has been idle (no record consumed) for the idle timeout, so it no longer holds the watermark back.
/// </summary>
public sealed record PartitionWatermark(int Partition, DateTimeOffset? Highest, bool Idle);
