namespace TrafficActors.Dashboard;

/// <summary>Ask for the newest <c>Last</c> merged windows; answered with <see cref="WindowsView"/>.</summary>
public sealed record GetWindows(int Last);
