namespace TrafficActors.Web.Dashboard;

/// <summary>
/// One cluster member in the dashboard's cluster panel. Events/s comes from the pushing node's own counters and,
/// for the others, from what their <see cref="NodeRatePublisher"/> last published (null before the first). Shards
/// and cars are those of the car region on that member (null until the first sharding statistics arrive, or on
/// members without the cars role).
/// </summary>
public sealed record DashboardMember(
    string Address, IReadOnlyList<string> Roles, string Status, bool Self, double? EventsPerSecond, int? Shards, int? Cars);
