namespace TrafficActors.Windows;

/// <summary>
/// Persisted snapshot of a window bucket: its figures and the event-id hashes it has counted; <c>Seen</c> is empty
/// once the dedupe horizon has passed. <c>Closed</c> is how the window closed, null while it is open (and in
/// snapshots written before windows closed by event time).
/// </summary>
public sealed record WindowSnapshot(WindowStats Stats, ulong[] Seen, bool IdsDropped, WindowClosed? Closed = null);
