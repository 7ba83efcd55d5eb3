namespace TrafficActors.Windows;

/// <summary>Persisted snapshot of a window bucket; <c>Seen</c> is empty once the dedupe horizon has passed.</summary>
public sealed record WindowSnapshot(
    DateTimeOffset Start,
    TimeSpan Length,
    long Alerts,
    Dictionary<string, long> ByColor,
    Dictionary<string, long> ByRule,
    double MaxSpeed,
    int MaxGear,
    int MaxRpm,
    long Late,
    ulong[] Seen,
    bool IdsDropped);
