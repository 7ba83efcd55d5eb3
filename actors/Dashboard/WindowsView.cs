using TrafficActors.Windows;

namespace TrafficActors.Dashboard;

/// <summary>Merged windows, newest first.</summary>
public sealed record WindowsView(IReadOnlyList<WindowStats> Windows);
