using System.Globalization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Cars;

/// <summary>
/// Cars under live rules: a new version takes effect at the next batch without the car forgetting its history, every
/// alert names the version that judged it, and a model's override applies to that model only.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class CarActorLiveRulesTests() : TestKit(CarSystemConfig.Mailbox)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly RuleSettings Seed = RuleSettings.SeedDefaults;
    private readonly RecordingOutputs _outputs = new();
    private readonly ReferenceDataStore _reference = new(SeedFleet.Snapshot(20));
    private readonly RuleSetStore _rules = new(new RuleSet("v1", Seed, new Dictionary<string, RuleSettings>()), "test");

    private IActorRef Car(long carId) =>
        Sys.ActorOf(CarActor.Props(carId.ToString(CultureInfo.InvariantCulture), new CarActorContext(
            _rules, _reference, _outputs, new OutputSettings(false, true, true), new PipelineMetrics(), new TraceLimits(4, TimeSpan.FromSeconds(30)))),
            carId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sends one event (in the gear the rules expect at that speed, with a calm engine) and returns its alert, if any.</summary>
    private Alert? Drive(IActorRef car, long carId, string id, double seconds, double speed)
    {
        var gear = RuleEngine.ExpectedGear(speed, Seed.KmhPerGear, Seed.MinGear, Seed.MaxGear);
        car.Tell(ProcessSamples.Of(new RawEvent(id, T0.AddSeconds(seconds), carId, speed, 2500, gear)));
        return ExpectMsg<SamplesProcessed>().Alerts.SingleOrDefault();
    }

    private static void AssertAlert(Alert? alert, string version, params string[] violations)
    {
        Assert.NotNull(alert);
        Assert.Equal(violations, alert.Violations);
        Assert.Equal(version, alert.RulesVersion);
    }

    private static RuleSet Version(string version, RuleSettings defaults, params (string Model, RuleSettings Settings)[] models) =>
        new(version, defaults, models.ToDictionary(m => m.Model, m => m.Settings, StringComparer.OrdinalIgnoreCase));

    [Fact]
    public void A_sustained_overspeed_episode_survives_a_swap_and_each_alert_names_the_version_that_judged_it()
    {
        var carId = SeedFleet.Cars(20)[3].CarId;
        var car = Car(carId);

        var a0 = Drive(car, carId, "a0", 0, 130);
        AssertAlert(a0, "v1", RuleNames.Overspeed);
        var a10 = Drive(car, carId, "a10", 10, 130);
        AssertAlert(a10, "v1", RuleNames.Overspeed);

        // Lower overspeed threshold, the same sustained-overspeed settings (above 120 km/h for more than 30 s).
        _rules.Swap(Version("v2", Seed with { OverspeedAbove = 100 }), "test", DateTimeOffset.UtcNow);

        var a20 = Drive(car, carId, "a20", 20, 130);
        AssertAlert(a20, "v2", RuleNames.Overspeed);
        // 31 s into the episode that began at 0 s under v1: had the swap reset the car's memory, it would be 11 s.
        var a31 = Drive(car, carId, "a31", 31, 130);
        AssertAlert(a31, "v2", RuleNames.Overspeed, RuleNames.SustainedOverspeed);
        var a40 = Drive(car, carId, "a40", 40, 130);
        AssertAlert(a40, "v2", RuleNames.Overspeed);

        // The lower threshold is in force: 110 km/h is now overspeed, though not sustained (the episode ends).
        var a50 = Drive(car, carId, "a50", 50, 110);
        AssertAlert(a50, "v2", RuleNames.Overspeed);

        Assert.Equal(["a0", "a10", "a20", "a31", "a40", "a50"], _outputs.Alerts.Select(a => a.Sample.EventId));
        Assert.Equal(["v1", "v1", "v2", "v2", "v2", "v2"], _outputs.Alerts.Select(a => a.RulesVersion));
    }

    [Fact]
    public void A_threshold_lowered_by_a_swap_applies_from_the_next_batch()
    {
        var carId = SeedFleet.Cars(20)[4].CarId;
        var car = Car(carId);
        Assert.Null(Drive(car, carId, "b0", 0, 110));
        _rules.Swap(Version("v2", Seed with { OverspeedAbove = 100 }), "test", DateTimeOffset.UtcNow);
        var alert = Drive(car, carId, "b1", 1, 110);
        AssertAlert(alert, "v2", RuleNames.Overspeed);
    }

    [Fact]
    public void A_models_override_applies_to_cars_of_that_model_only()
    {
        var fleet = SeedFleet.Cars(20);
        var chosen = _reference.Current.Lookup(fleet[3].CarId)!;
        var otherId = fleet.Select(c => c.CarId).First(id => _reference.Current.Lookup(id) is { } info && (info.BrandName, info.ModelName) != (chosen.BrandName, chosen.ModelName));
        var model = $"{chosen.BrandName} {chosen.ModelName}".ToUpperInvariant();
        _rules.Swap(Version("v3", Seed, (model, Seed with { OverspeedAbove = 80 })), "test", DateTimeOffset.UtcNow);

        var ofModel = Car(fleet[3].CarId);
        var alert = Drive(ofModel, fleet[3].CarId, "m1", 0, 90);
        AssertAlert(alert, "v3", RuleNames.Overspeed);
        Assert.Equal(chosen.ModelName, alert!.Sample.ModelName);

        var other = Car(otherId);
        Assert.Null(Drive(other, otherId, "o1", 0, 90));
        // A car the reference data does not know has no model, so it gets the version's defaults.
        var unknown = Car(42);
        Assert.Null(Drive(unknown, 42, "u1", 0, 90));
        Assert.Equal(["m1"], _outputs.Alerts.Select(a => a.Sample.EventId));
    }
}
