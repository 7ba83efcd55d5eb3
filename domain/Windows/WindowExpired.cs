namespace TrafficActors.Windows;

/// <summary>Published when a window bucket passes retention, so read models drop it too.</summary>
public sealed record WindowExpired(string WindowId);
