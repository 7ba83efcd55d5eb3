namespace TrafficActors.Rules;

/// <summary>Rule names as they appear in alerts and window statistics (the seed's three first).</summary>
public static class RuleNames
{
    public const string Overspeed = "overspeed";
    public const string WrongGear = "wrong_gear";
    public const string EngineStress = "engine_stress";
    public const string HarshBraking = "harsh_braking";
    public const string SustainedOverspeed = "sustained_overspeed";

    public static IReadOnlyList<string> All { get; } = [Overspeed, WrongGear, EngineStress, HarshBraking, SustainedOverspeed];
}
