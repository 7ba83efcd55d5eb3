namespace TrafficActors.Web.Management;

/// <summary>The /user and /system trees down to <c>Depth</c> levels below them.</summary>
public sealed record HierarchyView(int Depth, IReadOnlyList<ActorNode> Roots);
