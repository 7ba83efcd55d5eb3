namespace TrafficActors.Web.Management;

/// <summary>One actor of the hierarchy; <c>Omitted</c> children were left out (depth or max-children).</summary>
public sealed record ActorNode(string Name, string Path, int ChildCount, IReadOnlyList<ActorNode> Children, int Omitted);
