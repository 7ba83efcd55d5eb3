namespace TrafficActors.Web.Management;

/// <summary>Every shard region type of the cluster.</summary>
public sealed record RegionsView(IReadOnlyList<RegionSummary> Regions);
