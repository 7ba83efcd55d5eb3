namespace TrafficActors.Windows;

/// <summary>
/// Persisted event: the window bucket closed because the watermark it was told reached its end plus the allowed
/// lateness; its figures are final from here on. <paramref name="ClosedAt"/> (wall clock) starts the dedupe horizon.
/// </summary>
public sealed record WindowClosed(DateTimeOffset Watermark, DateTimeOffset ClosedAt);
