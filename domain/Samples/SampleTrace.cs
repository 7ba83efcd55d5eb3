namespace TrafficActors.Domain;

/// <summary>
/// A car's last samples for its drill-down: a fixed ring that overwrites its oldest point. Every car with a history
/// holds one, so a point is 16 bytes rather than the 24 of the values as the pipeline carries them: the speed is kept
/// as a float (about 7 significant digits, far finer than a speedometer), the engine speed and gear share one int.
/// </summary>
public sealed class SampleTrace
{
    // Rpm in the upper 24 bits, gear (signed) in the lowest 8.
    private const int GearBits = 8;
    private const int GearMask = (1 << GearBits) - 1;
    private const int MaxRpm = int.MaxValue >> GearBits;

    private readonly Point[] _points;
    private int _next;
    private int _count;

    public SampleTrace(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _points = new Point[capacity];
    }

    public int Capacity => _points.Length;

    public int Count => _count;

    /// <summary>Keeps a sample, dropping the oldest one when the ring is full.</summary>
    public void Add(long utcTicks, double speed, int rpm, int gear)
    {
        _points[_next] = new Point(utcTicks, (float)speed, (Math.Clamp(rpm, 0, MaxRpm) << GearBits) | (byte)(sbyte)Math.Clamp(gear, sbyte.MinValue, sbyte.MaxValue));
        _next = _next + 1 == _points.Length ? 0 : _next + 1;
        if (_count < _points.Length) _count++;
    }

    /// <summary>
    /// The points no older than <paramref name="span"/> before the newest event time, in event-time order (a late
    /// sample takes its place by time, not by arrival).
    /// </summary>
    public TracePoint[] Recent(TimeSpan span)
    {
        if (_count == 0) return [];
        var oldest = _next - _count < 0 ? _next - _count + _points.Length : _next - _count;
        var newestTicks = long.MinValue;
        for (var i = 0; i < _count; i++) newestTicks = Math.Max(newestTicks, _points[(oldest + i) % _points.Length].Ticks);
        var from = newestTicks - span.Ticks;
        var recent = new List<TracePoint>(_count);
        for (var i = 0; i < _count; i++)
        {
            var p = _points[(oldest + i) % _points.Length];
            if (p.Ticks >= from) recent.Add(p.ToTracePoint());
        }

        // Stable, so samples of one instant stay in arrival order.
        return recent.OrderBy(p => p.EventTime).ToArray();
    }

    private readonly record struct Point(long Ticks, float Speed, int RpmAndGear)
    {
        // Through decimal, which rounds to the float's 7 significant digits: 87.3f reads back as 87.3, not 87.30000305.
        public TracePoint ToTracePoint() => new(
            new DateTimeOffset(Ticks, TimeSpan.Zero), float.IsFinite(Speed) ? (double)(decimal)Speed : Speed, RpmAndGear >> GearBits, (sbyte)(RpmAndGear & GearMask));
    }
}
