namespace TrafficActors.Rules;

/// <summary>
/// What the stateful rules remember about one car: the latest event time, recent (time, speed) samples for harsh
/// braking and the start of the current overspeed episode. Immutable so rule evaluation stays a pure function; kept
/// as UTC ticks and one small array because every idle car of a large fleet holds one.
/// </summary>
public sealed class CarRuleState
{
    /// <summary>"No time yet" in the tick fields.</summary>
    internal const long None = long.MinValue;

    internal CarRuleState(long lastTicks, SpeedSample[] recentSpeeds, long overspeedSinceTicks, bool sustainedReported)
    {
        LastTicks = lastTicks;
        RecentSpeeds = recentSpeeds;
        OverspeedSinceTicks = overspeedSinceTicks;
        SustainedReported = sustainedReported;
    }

    public static CarRuleState Initial { get; } = new(None, [], None, false);

    /// <summary>UTC ticks of the car's latest event, or <see cref="None"/>.</summary>
    internal long LastTicks { get; }

    /// <summary>Speeds within the harsh-braking window, oldest first; never modified once the state is built.</summary>
    internal SpeedSample[] RecentSpeeds { get; }

    /// <summary>UTC ticks since which the car is above the sustained-overspeed limit, or <see cref="None"/>.</summary>
    internal long OverspeedSinceTicks { get; }

    internal bool SustainedReported { get; }
}

/// <summary>A speed observed at an event time (UTC ticks).</summary>
public readonly record struct SpeedSample(long Ticks, double Speed);
