namespace TrafficActors.Web.Management;

/// <summary>Entities of one shard on the node hosting it.</summary>
public sealed record ShardStats(string Node, string ShardId, int Entities);
