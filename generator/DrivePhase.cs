namespace TrafficActors.Generator;

/// <summary>What a simulated driver is doing; each phase owns how speed changes over time.</summary>
internal enum DrivePhase
{
    Stopped,
    Accelerating,
    Cruising,
    Braking,
}
