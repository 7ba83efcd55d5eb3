namespace TrafficActors.Windows;

/// <summary>
/// Persisted event: one batch of alerts accepted by a window bucket, plus the ids that arrived after the window
/// closed (counted as late only). One journal row per batch is what makes durable counting fast.
/// </summary>
public sealed record AlertsCounted(IReadOnlyList<CountedAlert> Counted, IReadOnlyList<ulong> Late);
