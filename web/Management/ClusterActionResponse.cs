namespace TrafficActors.Web.Management;

/// <summary>What a cluster-changing request did: the action and the member addresses it applied to.</summary>
public sealed record ClusterActionResponse(string Action, IReadOnlyList<string> Addresses);
