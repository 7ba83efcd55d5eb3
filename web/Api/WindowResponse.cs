namespace TrafficActors.Web.Api;

/// <summary>One merged window in <c>GET /api/windows</c> and <c>traffic window show</c>.</summary>
public sealed record WindowResponse(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Alerts,
    IReadOnlyDictionary<string, long> ByColor,
    IReadOnlyDictionary<string, long> ByRule,
    double MaxSpeed,
    int MaxGear,
    int MaxRpm,
    long Late)
{
    public static WindowResponse From(TrafficActors.Windows.WindowStats w) =>
        new(w.WindowStart, w.WindowEnd, w.Alerts, w.ByColor, w.ByRule, w.MaxSpeed, w.MaxGear, w.MaxRpm, w.Late);
}
