namespace TrafficActors.Windows;

/// <summary>
/// An ingest node's report of the raw-data partitions it consumes, published on the watermark topic every
/// watermark interval; <paramref name="Node"/> (the node's address) lets the next report replace this one.
/// </summary>
public sealed record PartitionWatermarks(string Node, IReadOnlyList<PartitionWatermark> Partitions);
