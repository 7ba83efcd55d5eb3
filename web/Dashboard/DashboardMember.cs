namespace TrafficActors.Web.Dashboard;

/// <summary>
/// One cluster member in the dashboard's cluster panel. Events/s is known only for the node that pushes (its own
/// counters); other members report null. Shards and cars are those of the car region on that member (null until
/// the first sharding statistics arrive, or on members without the cars role).
/// </summary>
public sealed record DashboardMember(
    string Address, IReadOnlyList<string> Roles, string Status, bool Self, double? EventsPerSecond, int? Shards, int? Cars);
