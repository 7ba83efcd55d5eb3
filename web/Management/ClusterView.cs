namespace TrafficActors.Web.Management;

/// <summary>Cluster membership from this node's point of view.</summary>
public sealed record ClusterView(string SelfAddress, string? Leader, IReadOnlyList<MemberView> Members, IReadOnlyList<string> Unreachable);
