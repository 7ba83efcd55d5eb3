namespace TrafficActors.Windows;

/// <summary>
/// From a window bucket that passed retention to its window's publisher: delete the publication record too, so
/// the journal does not keep one row per window forever. No reply.
/// </summary>
public sealed record ForgetWindow(string WindowId) : IWindowPublisherMessage;
