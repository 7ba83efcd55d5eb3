using TrafficActors.Domain;

namespace TrafficActors.Windows;

/// <summary>
/// Pure aggregation of one window bucket: counts each distinct event_id once, so Kafka's at-least-once
/// redelivery never inflates a window.
/// </summary>
public sealed class WindowState(DateTimeOffset start, TimeSpan length)
{
    /// <summary>Color key used when the car is not in the reference data.</summary>
    public const string UnknownColor = "unknown";

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byColor = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byRule = new(StringComparer.Ordinal);
    private long _alerts;
    private double _maxSpeed;
    private int _maxGear;
    private int _maxRpm;

    public DateTimeOffset Start { get; } = start;

    public DateTimeOffset End { get; } = start + length;

    public long Alerts => _alerts;

    /// <summary>Adds the alert unless its event was already counted; returns whether it was counted.</summary>
    public bool Apply(Alert alert)
    {
        if (!_seen.Add(alert.EventId)) return false;
        _alerts++;
        var color = alert.ColorName ?? UnknownColor;
        _byColor[color] = _byColor.GetValueOrDefault(color) + 1;
        foreach (var rule in alert.Violations) _byRule[rule] = _byRule.GetValueOrDefault(rule) + 1;
        _maxSpeed = Math.Max(_maxSpeed, alert.Speed);
        _maxGear = Math.Max(_maxGear, alert.Gear);
        _maxRpm = Math.Max(_maxRpm, alert.Rpm);
        return true;
    }

    public WindowStats ToStats() => new(
        Start, End, _alerts, new Dictionary<string, long>(_byColor), new Dictionary<string, long>(_byRule), _maxSpeed, _maxGear, _maxRpm);
}
