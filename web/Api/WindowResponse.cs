namespace TrafficActors.Web.Api;

/// <summary>
/// One merged window in <c>GET /api/windows</c> and <c>traffic window show</c>. <c>Closed</c>: the watermark passed
/// its end plus the allowed lateness in every bucket, so its figures are final.
/// </summary>
public sealed record WindowResponse(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Alerts,
    IReadOnlyDictionary<string, long> ByColor,
    IReadOnlyDictionary<string, long> ByRule,
    double MaxSpeed,
    int MaxGear,
    int MaxRpm,
    long Late,
    bool Closed)
{
    public static WindowResponse From(TrafficActors.Windows.WindowStats w) =>
        new(w.WindowStart, w.WindowEnd, w.Alerts, w.ByColor, w.ByRule, w.MaxSpeed, w.MaxGear, w.MaxRpm, w.Late, w.Closed);
}
