namespace TrafficActors.Windows;

/// <summary>
/// Starts (recovers) a window bucket so it republishes its persisted figures, e.g. after a restart; no reply.
/// </summary>
public sealed record WakeWindow(string WindowId) : IWindowMessage;
