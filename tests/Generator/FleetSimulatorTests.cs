using TrafficActors.Domain;
using TrafficActors.Generator;
using TrafficActors.Reference;
using Xunit;

namespace TrafficActors.Tests.Generator;

[Trait(Tier.Name, Tier.Fast)]
public sealed class FleetSimulatorTests
{
    // One report per car per second keeps harsh braking observable and long runs cheap.
    private static readonly GeneratorSettings Busy = new GeneratorSettings { Cars = 40, Rate = 40, Seed = 7 }.WithRates(0.5);

    [Fact]
    public void Same_seed_and_timestamps_give_identical_events()
    {
        var settings = new GeneratorSettings { Cars = 15, Rate = 30, Seed = 1234 }.WithRates(1);
        var a = SimulatedRun.Fleet(settings, TimeSpan.FromMinutes(3)).Select(x => x.Event).ToList();
        var b = SimulatedRun.Fleet(settings, TimeSpan.FromMinutes(3)).Select(x => x.Event).ToList();
        var other = SimulatedRun.Fleet(settings with { Seed = 1235 }, TimeSpan.FromMinutes(3)).Select(x => x.Event).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(e => e.Speed), other.Select(e => e.Speed));
        Assert.NotEqual(a.Select(e => e.EventId), other.Select(e => e.EventId));
    }

    [Fact]
    public void Every_event_passes_the_parser_and_carries_a_location_and_a_fleet_car()
    {
        var settings = new GeneratorSettings { Cars = 25, Rate = 50, Seed = 3 }.WithRates(2);
        var fleet = SeedFleet.Cars(25).Select(c => c.CarId).ToHashSet();
        var events = SimulatedRun.Fleet(settings, TimeSpan.FromMinutes(5)).Select(x => x.Event).ToList();

        foreach (var e in events)
        {
            var parsed = RawEventParser.Parse(WireFormat.ToJson(e), ValidationLimits.Default);
            Assert.True(parsed.IsValid, parsed.Error);
            Assert.Equal(e, parsed.Event);
            Assert.NotNull(e.Location);
            Assert.Contains(e.CarId, fleet);
            Assert.InRange(e.Speed, 0, 200);
            Assert.InRange(e.Gear, 1, 7);
        }

        Assert.Equal(fleet, events.Select(e => e.CarId).ToHashSet());
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public void Each_car_reports_about_once_per_sample_interval()
    {
        var settings = new GeneratorSettings { Cars = 20, Rate = 50 };
        var events = SimulatedRun.Fleet(settings, TimeSpan.FromMinutes(1)).Select(x => x.Event).ToList();

        foreach (var samples in DownstreamRules.ByCar(events))
        {
            Assert.InRange(samples.Count, 149, 151);
            for (var i = 1; i < samples.Count; i++)
                Assert.Equal(settings.SampleInterval, samples[i].EventTime - samples[i - 1].EventTime);
        }
    }

    [Fact]
    public void Driving_is_physically_plausible_outside_injected_episodes()
    {
        var run = SimulatedRun.Fleet(Busy, TimeSpan.FromMinutes(20));
        foreach (var car in run.GroupBy(x => x.Event.CarId))
        {
            var samples = car.ToList();
            for (var i = 0; i < samples.Count; i++)
            {
                var (e, injected) = samples[i];
                Assert.InRange(e.Rpm, 600, 8000);
                if (!injected.HasFlag(InjectedViolations.WrongGear))
                    Assert.Equal(DownstreamRules.ExpectedGear(e.Speed), e.Gear);
                else
                    Assert.Equal(1, Math.Abs(e.Gear - DownstreamRules.ExpectedGear(e.Speed)));
                if (!injected.HasFlag(InjectedViolations.EngineStress))
                    Assert.True(e.Rpm <= 6000, $"rpm {e.Rpm} at {e.Speed} km/h in gear {e.Gear} without an episode");
                if (!injected.HasFlag(InjectedViolations.Overspeed))
                    Assert.True(e.Speed <= 120, $"{e.Speed} km/h without an overspeed episode");
                if (e.Speed == 0 && !injected.HasFlag(InjectedViolations.EngineStress))
                    Assert.InRange(e.Rpm, 650, 1300);

                if (i == 0)
                    continue;
                var prev = samples[i - 1].Event;
                var dt = (e.EventTime - prev.EventTime).TotalSeconds;
                var dv = e.Speed - prev.Speed;
                // 0.1 km/h of slack for the one-decimal rounding on the wire.
                Assert.True(dv <= (SimulatedCar.MaxNormalRate * dt) + 0.11, $"car {e.CarId} gained {dv} km/h in {dt} s");
                var maxDrop = injected.HasFlag(InjectedViolations.HarshBraking) ? SimulatedCar.MaxHarshDeceleration : SimulatedCar.MaxNormalRate;
                Assert.True(-dv <= (maxDrop * dt) + 0.11, $"car {e.CarId} lost {-dv} km/h in {dt} s ({injected})");
            }
        }
    }

    [Fact]
    public void Locations_stay_on_the_route_area_and_move_no_faster_than_the_car()
    {
        var run = SimulatedRun.Fleet(Busy, TimeSpan.FromMinutes(20));
        foreach (var samples in DownstreamRules.ByCar(run.Select(x => x.Event)))
        {
            for (var i = 0; i < samples.Count; i++)
            {
                var p = samples[i].Location!;
                Assert.InRange(p.Lat, 32.0, 32.2);
                Assert.InRange(p.Lon, 34.7, 34.9);
                if (i == 0)
                    continue;
                var q = samples[i - 1].Location!;
                var dt = (samples[i].EventTime - samples[i - 1].EventTime).TotalSeconds;
                var metres = Math.Sqrt(Math.Pow((p.Lat - q.Lat) * 111_320, 2) + Math.Pow((p.Lon - q.Lon) * 94_400, 2));
                var fastest = Math.Max(samples[i].Speed, samples[i - 1].Speed) / 3.6 * dt;
                Assert.True(metres <= (fastest * 1.05) + 1, $"moved {metres:0} m in {dt} s at up to {fastest:0} m");
            }
        }

        // Cars actually move: over 20 minutes nearly every car covers some ground.
        var moved = DownstreamRules.ByCar(run.Select(x => x.Event)).Count(s => s[0].Location != s[^1].Location);
        Assert.True(moved >= 35, $"only {moved} of 40 cars moved");
    }

    [Fact]
    public void Zero_rates_produce_no_violation_of_any_rule()
    {
        var settings = Busy.WithRates(0);
        var events = SimulatedRun.Fleet(settings, TimeSpan.FromMinutes(30)).Select(x => x.Event).ToList();

        Assert.Equal(0, events.Count(DownstreamRules.IsOverspeed));
        Assert.Equal(0, events.Count(DownstreamRules.IsEngineStress));
        Assert.Equal(0, events.Count(DownstreamRules.IsWrongGear));
        Assert.Equal(0, DownstreamRules.HarshBrakingEpisodes(events));
        Assert.Equal(0, DownstreamRules.SustainedOverspeedEpisodes(events));
        // Normal driving still covers the whole normal range, so the absence of alerts is not a parked fleet.
        Assert.True(events.Max(e => e.Speed) > 100);
        Assert.True(events.Count(e => e.Speed == 0) > 100);
    }

    [Fact]
    public void Configured_rates_are_roughly_what_a_detector_sees()
    {
        const double minutes = 30;
        var settings = Busy;
        var simulator = new FleetSimulator(settings);
        var events = new List<RawEvent>();
        for (long k = 0; k < minutes * 60 * settings.Rate; k++)
            events.Add(simulator.Next(SimulatedRun.Origin.AddTicks((long)(k * TimeSpan.TicksPerSecond / settings.Rate))));

        // 0.5 episodes per car per minute, 40 cars, 30 minutes.
        var expected = 0.5 * settings.Cars * minutes;
        void Near(int actual, string what) =>
            Assert.True(actual >= expected * 0.75 && actual <= expected * 1.25, $"{what}: {actual}, expected about {expected}");

        Near(DownstreamRules.Episodes(events, DownstreamRules.IsOverspeed), "overspeed");
        Near(DownstreamRules.Episodes(events, DownstreamRules.IsWrongGear), "wrong gear");
        Near(DownstreamRules.Episodes(events, DownstreamRules.IsEngineStress), "engine stress");
        Near(DownstreamRules.HarshBrakingEpisodes(events), "harsh braking");
        Near(simulator.EpisodesStarted(InjectedViolations.Overspeed), "overspeed started");
        Near(simulator.EpisodesStarted(InjectedViolations.HarshBraking), "harsh braking started");

        // About 40% of overspeed episodes are meant to be sustained.
        var sustained = DownstreamRules.SustainedOverspeedEpisodes(events);
        var overspeed = DownstreamRules.Episodes(events, DownstreamRules.IsOverspeed);
        Assert.InRange(sustained / (double)overspeed, 0.28, 0.52);
    }

    [Fact]
    public void A_long_pause_between_calls_is_absorbed_without_implausible_jumps()
    {
        var simulator = new FleetSimulator(new GeneratorSettings { Cars = 1, Rate = 1, Seed = 5 });
        var first = simulator.Next(SimulatedRun.Origin);
        var afterPause = simulator.Next(SimulatedRun.Origin.AddHours(2));
        Assert.True(RawEventParser.Parse(WireFormat.ToJson(afterPause), ValidationLimits.Default).IsValid);
        Assert.Equal(first.CarId, afterPause.CarId);
    }
}
