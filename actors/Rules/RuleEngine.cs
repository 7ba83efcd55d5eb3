namespace TrafficActors.Rules;

/// <summary>
/// The detection rules as a pure function of (settings, car state, event). Stateless rules are the seed's;
/// stateful ones look at the car's recent history in event time. An event older than the car's latest one
/// (reordering or redelivery) is checked by the stateless rules only and does not move the car's state.
/// </summary>
public sealed class RuleEngine(RuleSettings settings)
{
    public RuleSettings Settings { get; } = settings;

    /// <summary>clamp(round_half_up(speed / km-h-per-gear), min, max), the seed's formula.</summary>
    public static int ExpectedGear(double speed, double kmhPerGear, int minGear, int maxGear)
    {
        var gear = Math.Round(speed / kmhPerGear, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(gear, minGear, maxGear);
    }

    public int ExpectedGear(double speed) => ExpectedGear(speed, Settings.KmhPerGear, Settings.MinGear, Settings.MaxGear);

    public RuleVerdict Evaluate(CarRuleState state, DateTimeOffset time, double speed, int rpm, int gear)
    {
        var s = Settings;
        var expected = ExpectedGear(speed);
        var violations = new List<string>(2);
        if (s.OverspeedEnabled && speed > s.OverspeedAbove) violations.Add(RuleNames.Overspeed);
        if (s.WrongGearEnabled && gear != expected) violations.Add(RuleNames.WrongGear);
        if (s.EngineStressEnabled && rpm > s.EngineStressRpmAbove) violations.Add(RuleNames.EngineStress);

        if (state.LastEventTime is { } last && time <= last)
            return new RuleVerdict(expected, violations, state);

        var next = state with { LastEventTime = time };
        next = HarshBraking(next, time, speed, violations);
        next = SustainedOverspeed(next, time, speed, violations);
        return new RuleVerdict(expected, violations, next);
    }

    private CarRuleState HarshBraking(CarRuleState state, DateTimeOffset time, double speed, List<string> violations)
    {
        var s = Settings;
        var recent = state.RecentSpeeds;
        while (!recent.IsEmpty && time - recent.Peek().Time > s.HarshBrakingWithin)
            recent = recent.Dequeue();

        if (s.HarshBrakingEnabled && !recent.IsEmpty && recent.Max(x => x.Speed) - speed > s.HarshBrakingDrop)
        {
            violations.Add(RuleNames.HarshBraking);
            // One braking manoeuvre is one violation: forget the speeds it was measured against.
            recent = [];
        }

        return state with { RecentSpeeds = recent.Enqueue(new SpeedSample(time, speed)) };
    }

    private CarRuleState SustainedOverspeed(CarRuleState state, DateTimeOffset time, double speed, List<string> violations)
    {
        var s = Settings;
        if (speed <= s.SustainedOverspeedAbove)
            return state with { OverspeedSince = null, SustainedReported = false };

        var since = state.OverspeedSince ?? time;
        var reported = state.SustainedReported;
        if (s.SustainedOverspeedEnabled && !reported && time - since > s.SustainedOverspeedLongerThan)
        {
            violations.Add(RuleNames.SustainedOverspeed);
            reported = true;
        }

        return state with { OverspeedSince = since, SustainedReported = reported };
    }
}
