namespace TrafficActors.Rules;

/// <summary>Every rule threshold, from <c>traffic.rules</c>.</summary>
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

    public static RuleSettings FromConfig(Akka.Configuration.Config r) => new(
        r.GetBoolean("overspeed.enabled"),
        r.GetDouble("overspeed.speed-above"),
        r.GetBoolean("engine-stress.enabled"),
        r.GetInt("engine-stress.rpm-above"),
        r.GetBoolean("wrong-gear.enabled"),
        r.GetDouble("wrong-gear.km-h-per-gear"),
        r.GetInt("wrong-gear.min-gear"),
        r.GetInt("wrong-gear.max-gear"),
        r.GetBoolean("harsh-braking.enabled"),
        r.GetDouble("harsh-braking.speed-drop"),
        r.GetTimeSpan("harsh-braking.within"),
        r.GetBoolean("sustained-overspeed.enabled"),
        r.GetDouble("sustained-overspeed.speed-above"),
        r.GetTimeSpan("sustained-overspeed.longer-than"));
}
