namespace TrafficActors.Windows;

/// <summary>
/// Persisted event of a window's publisher, written before its record is produced: after a crash, a publisher that
/// finds this without a <see cref="WindowPublished"/> looks at the windows topic before producing, since the record may
/// already be there. A publisher without it knows nothing was produced and produces at once.
/// </summary>
public sealed record WindowPublishing(DateTimeOffset Start);
