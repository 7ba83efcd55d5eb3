using TrafficActors.Domain;

namespace TrafficActors.Views;

/// <summary>Newest alerts first (by event time).</summary>
public sealed record RecentAlertsView(IReadOnlyList<Alert> Alerts);
