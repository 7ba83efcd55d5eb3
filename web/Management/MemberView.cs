namespace TrafficActors.Web.Management;

/// <summary>One cluster member as this node sees it.</summary>
public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool Leader, bool Self);
