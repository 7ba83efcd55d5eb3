namespace TrafficActors.Generator;

/// <summary>Violation episodes the simulator deliberately put into a sample, so tests can tell them from normal driving.</summary>
[Flags]
internal enum InjectedViolations
{
    None = 0,
    Overspeed = 1,
    WrongGear = 2,
    EngineStress = 4,
    HarshBraking = 8,
}
