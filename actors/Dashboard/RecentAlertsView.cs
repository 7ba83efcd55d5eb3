using TrafficActors.Domain;

namespace TrafficActors.Dashboard;

/// <summary>Newest alerts first (by event time).</summary>
public sealed record RecentAlertsView(IReadOnlyList<Alert> Alerts);
