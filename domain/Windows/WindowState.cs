using System.IO.Hashing;
using System.Text;
using TrafficActors.Domain;

namespace TrafficActors.Windows;

/// <summary>
/// Pure state of one window bucket. <see cref="Decide"/> classifies an arriving alert (and reserves its id so a
/// redelivery arriving while the first copy is still being written is recognised); <see cref="Apply(AlertsCounted)"/>
/// folds a persisted batch into the figures. <see cref="ShouldClose"/> says whether a watermark closes the window;
/// <see cref="Apply(WindowClosed)"/> records that it did. Recovery replays the same Apply calls.
/// </summary>
public sealed class WindowState(DateTimeOffset start, TimeSpan length)
{
    /// <summary>Color key used when the car is not in the reference data.</summary>
    public const string UnknownColor = "unknown";

    private readonly HashSet<ulong> _seen = [];
    private readonly Dictionary<string, long> _byColor = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byRule = new(StringComparer.Ordinal);
    private long _alerts;
    private long _late;
    private double _maxSpeed;
    private int _maxGear;
    private int _maxRpm;

    public DateTimeOffset Start { get; } = start;

    public TimeSpan Length { get; } = length;

    public DateTimeOffset End => Start + Length;

    public long Alerts => _alerts;

    public long Late => _late;

    /// <summary>How the window closed; null while it is open.</summary>
    public WindowClosed? Closed { get; private set; }

    public bool IsClosed => Closed is not null;

    /// <summary>True once the ids have been forgotten (past the dedupe horizon); later arrivals count as late.</summary>
    public bool IdsDropped { get; private set; }

    public static ulong HashId(string eventId)
    {
        // Event ids are at most 128 characters (validated on input), so the bytes fit on the stack.
        var max = Encoding.UTF8.GetMaxByteCount(eventId.Length);
        Span<byte> bytes = max <= 1024 ? stackalloc byte[max] : new byte[max];
        return XxHash64.HashToUInt64(bytes[..Encoding.UTF8.GetBytes(eventId, bytes)]);
    }

    public static CountedAlert ToCounted(Alert a, ulong hash) =>
        new(hash, a.Sample.ColorName ?? UnknownColor, a.Violations as string[] ?? a.Violations.ToArray(), a.Sample.Speed, a.Sample.Gear, a.Sample.Rpm);

    /// <summary>Classifies an arriving alert and reserves its id when it is new.</summary>
    public WindowDecision Decide(ulong idHash, bool closed)
    {
        if (IdsDropped) return WindowDecision.Late;
        if (!_seen.Add(idHash)) return WindowDecision.Duplicate;
        return closed ? WindowDecision.Late : WindowDecision.Count;
    }

    /// <summary>
    /// True when <paramref name="watermark"/> (no partition will bring an alert older than it on time) has reached
    /// the window's end plus <paramref name="allowedLateness"/> and the window is still open.
    /// </summary>
    public bool ShouldClose(DateTimeOffset? watermark, TimeSpan allowedLateness) =>
        Closed is null && watermark is { } w && w >= End + allowedLateness;

    public void Apply(WindowClosed e) => Closed ??= e;

    public void Apply(AlertsCounted e)
    {
        foreach (var a in e.Counted)
        {
            if (!IdsDropped) _seen.Add(a.IdHash);
            _alerts++;
            _byColor[a.Color] = _byColor.GetValueOrDefault(a.Color) + 1;
            foreach (var rule in a.Rules) _byRule[rule] = _byRule.GetValueOrDefault(rule) + 1;
            _maxSpeed = Math.Max(_maxSpeed, a.Speed);
            _maxGear = Math.Max(_maxGear, a.Gear);
            _maxRpm = Math.Max(_maxRpm, a.Rpm);
        }

        foreach (var h in e.Late)
        {
            if (!IdsDropped) _seen.Add(h);
            _late++;
        }
    }

    /// <summary>Forgets the ids once no redelivery can reasonably still arrive; bounds memory of old windows.</summary>
    public void DropIds()
    {
        _seen.Clear();
        _seen.TrimExcess();
        IdsDropped = true;
    }

    public WindowStats ToStats() => new(
        Start, End, _alerts, new Dictionary<string, long>(_byColor), new Dictionary<string, long>(_byRule), _maxSpeed, _maxGear, _maxRpm, _late,
        IsClosed);

    public WindowSnapshot ToSnapshot() => new(ToStats(), IdsDropped ? [] : _seen.ToArray(), IdsDropped, Closed);

    public static WindowState FromSnapshot(WindowSnapshot s)
    {
        var stats = s.Stats;
        var state = new WindowState(stats.WindowStart, stats.WindowEnd - stats.WindowStart)
        {
            _alerts = stats.Alerts, _late = stats.Late, _maxSpeed = stats.MaxSpeed, _maxGear = stats.MaxGear, _maxRpm = stats.MaxRpm,
            IdsDropped = s.IdsDropped, Closed = s.Closed,
        };
        foreach (var (k, v) in stats.ByColor) state._byColor[k] = v;
        foreach (var (k, v) in stats.ByRule) state._byRule[k] = v;
        foreach (var h in s.Seen) state._seen.Add(h);
        return state;
    }
}
