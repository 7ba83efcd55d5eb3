namespace TrafficActors.Views;

/// <summary>Ask for the newest alerts; answered with <see cref="RecentAlertsView"/>.</summary>
public sealed record GetRecentAlerts(int Limit);
