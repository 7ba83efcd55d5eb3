namespace TrafficActors.Web.Management;

/// <summary>A shard region type: whether this node hosts it (or only proxies to it) and its spread over the nodes.</summary>
public sealed record RegionSummary(string Type, bool HostedHere, IReadOnlyList<RegionNodeStats> Nodes, IReadOnlyList<string> Unanswered);
