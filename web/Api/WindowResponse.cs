namespace TrafficActors.Web.Api;

/// <summary>One merged window in <c>GET /api/windows</c>.</summary>
public sealed record WindowResponse(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Alerts,
    IReadOnlyDictionary<string, long> ByColor,
    IReadOnlyDictionary<string, long> ByRule,
    double MaxSpeed,
    int MaxGear,
    int MaxRpm,
    long Late);
