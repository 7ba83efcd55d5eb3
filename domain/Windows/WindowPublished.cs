namespace TrafficActors.Windows;

/// <summary>
/// Persisted event of a window's publisher: the window's final figures were acknowledged by the broker on the
/// windows topic, so they are not produced again.
/// </summary>
public sealed record WindowPublished(DateTimeOffset Start);
