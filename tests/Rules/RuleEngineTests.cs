using TrafficActors.Rules;
using Xunit;

namespace TrafficActors.Tests.Rules;

[Trait(Tier.Name, Tier.Fast)]
public sealed class RuleEngineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private readonly RuleEngine _rules = new(RuleSettings.SeedDefaults);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(14.9, 1)]
    [InlineData(15, 1)] // 0.5 rounds up to 1
    [InlineData(44.99, 1)]
    [InlineData(45, 2)] // 1.5 rounds up to 2, not to even
    [InlineData(75, 3)] // 2.5 → 3 (banker's rounding would give 2)
    [InlineData(105, 4)]
    [InlineData(135, 5)]
    [InlineData(165, 6)]
    [InlineData(195, 7)]
    [InlineData(200, 7)]
    [InlineData(400, 7)] // clamped
    public void Expected_gear_rounds_half_up_and_clamps(double speed, int gear) =>
        Assert.Equal(gear, RuleEngine.ExpectedGear(speed, 30, 1, 7));

    [Fact]
    public void Seed_rules_fire_on_their_thresholds_only()
    {
        Assert.Empty(_rules.Evaluate(CarRuleState.Initial, T0, 120, 6000, 4).Violations);
        Assert.Equal([RuleNames.Overspeed], _rules.Evaluate(CarRuleState.Initial, T0, 120.1, 6000, 4).Violations);
        Assert.Equal([RuleNames.WrongGear], _rules.Evaluate(CarRuleState.Initial, T0, 75, 3000, 2).Violations);
        Assert.Equal([RuleNames.EngineStress], _rules.Evaluate(CarRuleState.Initial, T0, 90, 6001, 3).Violations);
        Assert.Equal([RuleNames.Overspeed, RuleNames.WrongGear, RuleNames.EngineStress],
            _rules.Evaluate(CarRuleState.Initial, T0, 150, 7000, 1).Violations);
    }

    [Fact]
    public void Disabled_rules_never_fire()
    {
        var off = new RuleEngine(RuleSettings.SeedDefaults with
        {
            OverspeedEnabled = false, WrongGearEnabled = false, EngineStressEnabled = false,
            HarshBrakingEnabled = false, SustainedOverspeedEnabled = false,
        });
        var state = CarRuleState.Initial;
        for (var i = 0; i < 60; i++)
        {
            var v = off.Evaluate(state, T0.AddSeconds(i), i % 2 == 0 ? 190 : 10, 7900, 1);
            Assert.Empty(v.Violations);
            state = v.NextState;
        }
    }

    [Fact]
    public void Harsh_braking_fires_once_when_speed_drops_more_than_the_limit_within_the_window()
    {
        var s = _rules.Evaluate(CarRuleState.Initial, T0, 90, 2500, 3).NextState;
        s = _rules.Evaluate(s, T0.AddSeconds(1), 75, 2500, 3).NextState;
        var brake = _rules.Evaluate(s, T0.AddSeconds(2.5), 45, 2000, 2);
        Assert.Contains(RuleNames.HarshBraking, brake.Violations);
        var next = _rules.Evaluate(brake.NextState, T0.AddSeconds(3), 30, 1500, 1);
        Assert.DoesNotContain(RuleNames.HarshBraking, next.Violations);
    }

    [Fact]
    public void A_slow_deceleration_is_not_harsh_braking()
    {
        var s = CarRuleState.Initial;
        var speeds = new[] { 100.0, 90, 80, 70, 60, 50, 40 };
        for (var i = 0; i < speeds.Length; i++)
        {
            var v = _rules.Evaluate(s, T0.AddSeconds(2 * i), speeds[i], 2000, RuleEngine.ExpectedGear(speeds[i], 30, 1, 7));
            Assert.DoesNotContain(RuleNames.HarshBraking, v.Violations);
            s = v.NextState;
        }
    }

    [Fact]
    public void Sustained_overspeed_fires_once_per_episode_after_the_duration()
    {
        var s = CarRuleState.Initial;
        var fired = new List<int>();
        for (var i = 0; i <= 40; i++)
        {
            var v = _rules.Evaluate(s, T0.AddSeconds(i), 130, 4000, 4);
            if (v.Violations.Contains(RuleNames.SustainedOverspeed)) fired.Add(i);
            s = v.NextState;
        }

        Assert.Equal([31], fired);

        s = _rules.Evaluate(s, T0.AddSeconds(41), 100, 3000, 3).NextState; // episode ends
        var again = new List<int>();
        for (var i = 42; i <= 80; i++)
        {
            var v = _rules.Evaluate(s, T0.AddSeconds(i), 125, 4000, 4);
            if (v.Violations.Contains(RuleNames.SustainedOverspeed)) again.Add(i);
            s = v.NextState;
        }

        Assert.Equal([73], again);
    }

    [Fact]
    public void Out_of_order_events_use_stateless_rules_only_and_keep_state()
    {
        var s = _rules.Evaluate(CarRuleState.Initial, T0.AddSeconds(10), 100, 3000, 3).NextState;
        var late = _rules.Evaluate(s, T0.AddSeconds(9), 20, 6500, 1);
        Assert.Equal([RuleNames.EngineStress], late.Violations);
        Assert.Equal(s, late.NextState);
        // The state did not move: a later event is judged against the first one (a 65 km/h drop within 3 s).
        Assert.Contains(RuleNames.HarshBraking, _rules.Evaluate(late.NextState, T0.AddSeconds(11), 35, 2000, 1).Violations);
    }
}
