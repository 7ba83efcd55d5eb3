namespace TrafficActors.Windows;

/// <summary>
/// The seed's per-window figures (alert count, per color, per rule, maxima) for one window or one part of it.
/// Plain dictionaries keep it serialisable across nodes. <c>Closed</c>: final (the watermark passed the window's end
/// plus the allowed lateness); merged figures are closed only when every part is.
/// </summary>
public sealed record WindowStats(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Alerts,
    Dictionary<string, long> ByColor,
    Dictionary<string, long> ByRule,
    double MaxSpeed,
    int MaxGear,
    int MaxRpm,
    long Late = 0,
    bool Closed = false)
{
    /// <summary>Combines the partial figures of two buckets of the same window (or of windows in one roll-up).</summary>
    public WindowStats Merge(WindowStats other)
    {
        var byColor = new Dictionary<string, long>(ByColor);
        foreach (var (k, v) in other.ByColor) byColor[k] = byColor.GetValueOrDefault(k) + v;
        var byRule = new Dictionary<string, long>(ByRule);
        foreach (var (k, v) in other.ByRule) byRule[k] = byRule.GetValueOrDefault(k) + v;
        return new WindowStats(
            WindowStart, WindowEnd, Alerts + other.Alerts, byColor, byRule,
            Math.Max(MaxSpeed, other.MaxSpeed), Math.Max(MaxGear, other.MaxGear), Math.Max(MaxRpm, other.MaxRpm),
            Late + other.Late, Closed && other.Closed);
    }
}
