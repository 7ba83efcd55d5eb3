using System.Collections.Immutable;

namespace TrafficActors.Rules;

/// <summary>
/// What the stateful rules remember about one car: recent (time, speed) samples for harsh braking and the start
/// of the current overspeed episode. Immutable so rule evaluation stays a pure function.
/// </summary>
public sealed record CarRuleState(
    DateTimeOffset? LastEventTime,
    ImmutableQueue<SpeedSample> RecentSpeeds,
    DateTimeOffset? OverspeedSince,
    bool SustainedReported)
{
    public static CarRuleState Initial { get; } = new(null, ImmutableQueue<SpeedSample>.Empty, null, false);
}

/// <summary>A speed observed at an event time.</summary>
public readonly record struct SpeedSample(DateTimeOffset Time, double Speed);
