namespace TrafficActors.Generator;

/// <summary>Why a generator run ended.</summary>
public enum GeneratorStopReason
{
    CountReached,
    DurationElapsed,
    Cancelled,
}
