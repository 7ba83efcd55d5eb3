using TrafficActors.Domain;

namespace TrafficActors.Windows;

/// <summary>
/// What an aggregator publishes on the dashboard topic: its bucket's current figures and its newest alerts.
/// Published at most once per publish interval, so subscribers see a coalesced feed.
/// </summary>
public sealed record WindowPartial(string WindowId, WindowStats Stats, IReadOnlyList<Alert> RecentAlerts);
