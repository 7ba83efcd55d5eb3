namespace TrafficActors.Web.Management;

/// <summary>Every shard of one region type with its node and entity count; nodes that did not answer in time.</summary>
public sealed record RegionStatsView(string Type, IReadOnlyList<ShardStats> Shards, IReadOnlyList<string> Unanswered);
