namespace TrafficActors.Web.Management;

/// <summary>One merged window as <c>traffic window show</c> lists it.</summary>
public sealed record WindowView(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Alerts,
    IReadOnlyDictionary<string, long> ByColor,
    IReadOnlyDictionary<string, long> ByRule,
    double MaxSpeed,
    int MaxGear,
    int MaxRpm);
