namespace TrafficActors.Placement;

/// <summary>The raw-data partitions this node's consumer was just assigned; their car shards belong here.</summary>
public sealed record PartitionsAssigned(IReadOnlyList<int> Partitions);
