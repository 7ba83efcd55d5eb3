namespace TrafficActors.Web.Dashboard;

/// <summary>
/// One cluster member in the dashboard's cluster panel. Events/s is known only for the node that pushes (its own
/// counters); other members report null.
/// </summary>
public sealed record DashboardMember(string Address, IReadOnlyList<string> Roles, string Status, bool Self, double? EventsPerSecond);
