namespace TrafficActors.Windows;

/// <summary>
/// From a window bucket that is closed (when it closes, and whenever it starts closed) to its window's publisher:
/// publish the window's final figures unless that is done. Repeating it is harmless.
/// </summary>
public sealed record PublishWindow(string WindowId, DateTimeOffset Start, TimeSpan Length) : IWindowPublisherMessage;
