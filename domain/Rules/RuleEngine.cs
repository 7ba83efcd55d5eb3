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
        var violated = Violated.None;
        if (s.OverspeedEnabled && speed > s.OverspeedAbove) violated |= Violated.Overspeed;
        if (s.WrongGearEnabled && gear != expected) violated |= Violated.WrongGear;
        if (s.EngineStressEnabled && rpm > s.EngineStressRpmAbove) violated |= Violated.EngineStress;

        var ticks = time.UtcTicks;
        if (state.HasLast && ticks <= state.LastTicks)
            return new RuleVerdict(expected, NamesOf[(int)violated], state);

        var earlier = HarshBraking(state, ticks, speed, ref violated);
        var (inOverspeed, since, reported) = SustainedOverspeed(state, ticks, speed, ref violated);
        return new RuleVerdict(expected, NamesOf[(int)violated], new CarRuleState(ticks, speed, earlier, since, inOverspeed, reported));
    }

    /// <summary>Checks the drop against the speeds within the window; returns the speeds the next state keeps before this one.</summary>
    private SpeedSample[] HarshBraking(CarRuleState state, long ticks, double speed, ref Violated violated)
    {
        if (!state.HasLast) return [];
        var s = Settings;
        var within = s.HarshBrakingWithin.Ticks;
        var earlier = state.Earlier;
        var first = 0;
        while (first < earlier.Length && ticks - earlier[first].Ticks > within) first++;
        var latestKept = ticks - state.LastTicks <= within;

        var max = double.MinValue;
        for (var i = first; i < earlier.Length; i++) max = Math.Max(max, earlier[i].Speed);
        if (latestKept) max = Math.Max(max, state.LastSpeed);
        if (s.HarshBrakingEnabled && (latestKept || first < earlier.Length) && max - speed > s.HarshBrakingDrop)
        {
            violated |= Violated.HarshBraking;
            // One braking manoeuvre is one violation: forget the speeds it was measured against.
            return [];
        }

        // Samples are in time order: the latest one is outside the window only when every earlier one is too.
        if (!latestKept) return [];
        var next = new SpeedSample[earlier.Length - first + 1];
        earlier.AsSpan(first).CopyTo(next);
        next[^1] = new SpeedSample(state.LastTicks, state.LastSpeed);
        return next;
    }

    private (bool InOverspeed, long Since, bool Reported) SustainedOverspeed(CarRuleState state, long ticks, double speed, ref Violated violated)
    {
        var s = Settings;
        if (speed <= s.SustainedOverspeedAbove) return (false, 0, false);

        var since = state.InOverspeed ? state.OverspeedSinceTicks : ticks;
        var reported = state.SustainedReported;
        if (s.SustainedOverspeedEnabled && !reported && ticks - since > s.SustainedOverspeedLongerThan.Ticks)
        {
            violated |= Violated.SustainedOverspeed;
            reported = true;
        }

        return (true, since, reported);
    }

    /// <summary>
    /// The violation list of every combination of rules, in rule order, built once: an alert shares its list with
    /// every other alert that broke the same rules instead of allocating one.
    /// </summary>
    private static readonly string[][] NamesOf = Enumerable.Range(0, 1 << 5).Select(mask => new[]
        {
            RuleNames.Overspeed, RuleNames.WrongGear, RuleNames.EngineStress, RuleNames.HarshBraking, RuleNames.SustainedOverspeed,
        }.Where((_, bit) => (mask & (1 << bit)) != 0).ToArray()).ToArray();

    [Flags]
    private enum Violated
    {
        None = 0,
        Overspeed = 1,
        WrongGear = 2,
        EngineStress = 4,
        HarshBraking = 8,
        SustainedOverspeed = 16,
    }
}
