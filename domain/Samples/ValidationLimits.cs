namespace TrafficActors.Domain;

/// <summary>What a raw event must satisfy to enter the pipeline; anything else goes to the dead-letter topic.</summary>
public sealed record ValidationLimits(int MaxMessageBytes, double MaxSpeed, int MaxRpm, int MinGear, int MaxGear)
{
    public static ValidationLimits Default { get; } = new(64 * 1024, 400, 20000, 1, 7);
}
