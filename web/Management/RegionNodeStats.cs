namespace TrafficActors.Web.Management;

/// <summary>Shards and entities of one region type on one node.</summary>
public sealed record RegionNodeStats(string Node, int Shards, int Entities);
