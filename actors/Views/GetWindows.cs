namespace TrafficActors.Views;

/// <summary>
/// Ask for the newest <c>Last</c> merged windows, optionally rolled up to <c>Size</c> (a multiple of the window
/// length); answered with <see cref="WindowsView"/>.
/// </summary>
public sealed record GetWindows(int Last, TimeSpan? Size = null);
