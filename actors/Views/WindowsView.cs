using TrafficActors.Windows;

namespace TrafficActors.Views;

/// <summary>Merged windows, newest first.</summary>
public sealed record WindowsView(IReadOnlyList<WindowStats> Windows);
