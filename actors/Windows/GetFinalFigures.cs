namespace TrafficActors.Windows;

/// <summary>
/// From a window's publisher to one of its buckets: answered with <see cref="FinalFigures"/> once the bucket is
/// closed, or at once when the bucket never counted anything; not answered while it is open (the publisher asks
/// again).
/// </summary>
public sealed record GetFinalFigures(string WindowId) : IWindowMessage;
