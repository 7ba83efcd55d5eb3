namespace TrafficActors.Rules;

/// <summary>Every rule threshold; the node reads it from <c>traffic.rules</c>.</summary>
public sealed record RuleSettings(
    bool OverspeedEnabled,
    double OverspeedAbove,
    bool EngineStressEnabled,
    int EngineStressRpmAbove,
    bool WrongGearEnabled,
    double KmhPerGear,
    int MinGear,
    int MaxGear,
    bool HarshBrakingEnabled,
    double HarshBrakingDrop,
    TimeSpan HarshBrakingWithin,
    bool SustainedOverspeedEnabled,
    double SustainedOverspeedAbove,
    TimeSpan SustainedOverspeedLongerThan)
{
    /// <summary>The seed's thresholds with both stateful rules on; used by tests and as documentation.</summary>
    public static RuleSettings SeedDefaults { get; } = new(
        true, 120, true, 6000, true, 30, 1, 7, true, 40, TimeSpan.FromSeconds(3), true, 120, TimeSpan.FromSeconds(30));
}
