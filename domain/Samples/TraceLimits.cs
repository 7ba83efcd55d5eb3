namespace TrafficActors.Domain;

/// <summary>
/// How much of its past a car keeps for its trace: at most <paramref name="Samples"/> points (0 = none beyond the
/// last sample), of which those no older than <paramref name="Span"/> before the newest are shown.
/// </summary>
public sealed record TraceLimits(int Samples, TimeSpan Span);
