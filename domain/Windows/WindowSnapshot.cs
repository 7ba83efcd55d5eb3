namespace TrafficActors.Windows;

/// <summary>
/// Persisted snapshot of a window bucket: its figures and the event-id hashes it has counted; <c>Seen</c> is empty
/// once the dedupe horizon has passed.
/// </summary>
public sealed record WindowSnapshot(WindowStats Stats, ulong[] Seen, bool IdsDropped);
