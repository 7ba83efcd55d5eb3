namespace TrafficActors.Rules;

/// <summary>
/// What the stateful rules remember about one car: its latest event (time and speed), the earlier speeds still
/// within the harsh-braking window and the start of the current overspeed episode. An immutable value so rule
/// evaluation stays a pure function; a struct of UTC ticks with the latest sample inline because every idle car of a
/// large fleet holds one (it then needs no object of its own). <c>default</c> is the state of a car seen for the
/// first time.
/// </summary>
public readonly struct CarRuleState
{
    private readonly SpeedSample[]? _earlier;

    internal CarRuleState(long lastTicks, double lastSpeed, SpeedSample[] earlier, long overspeedSinceTicks, bool inOverspeed, bool sustainedReported)
    {
        LastTicks = lastTicks;
        LastSpeed = lastSpeed;
        _earlier = earlier;
        OverspeedSinceTicks = overspeedSinceTicks;
        HasLast = true;
        InOverspeed = inOverspeed;
        SustainedReported = sustainedReported;
    }

    public static CarRuleState Initial => default;

    /// <summary>UTC ticks of the car's latest event; meaningful when <see cref="HasLast"/>.</summary>
    internal long LastTicks { get; }

    internal double LastSpeed { get; }

    /// <summary>Speeds before the latest one still within the harsh-braking window, oldest first; never modified.</summary>
    internal SpeedSample[] Earlier => _earlier ?? [];

    /// <summary>UTC ticks since which the car is above the sustained-overspeed limit; meaningful when <see cref="InOverspeed"/>.</summary>
    internal long OverspeedSinceTicks { get; }

    internal bool HasLast { get; }

    internal bool InOverspeed { get; }

    internal bool SustainedReported { get; }
}

/// <summary>A speed observed at an event time (UTC ticks).</summary>
public readonly record struct SpeedSample(long Ticks, double Speed);
