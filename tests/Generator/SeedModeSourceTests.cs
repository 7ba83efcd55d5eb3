using TrafficActors.Domain;
using TrafficActors.Generator;
using TrafficActors.Reference;
using Xunit;

namespace TrafficActors.Tests.Generator;

[Trait(Tier.Name, Tier.Fast)]
public sealed class SeedModeSourceTests
{
    private static List<RawEvent> Generate(GeneratorSettings settings, int count)
    {
        var source = new SeedModeSource(settings);
        return Enumerable.Range(0, count).Select(i => source.Next(SimulatedRun.Origin.AddMilliseconds(i * 20))).ToList();
    }

    [Fact]
    public void Same_seed_gives_identical_events_including_ids()
    {
        var settings = new GeneratorSettings { Mode = GeneratorMode.Seed, Seed = 99 };
        Assert.Equal(Generate(settings, 2000), Generate(settings, 2000));
        Assert.NotEqual(
            Generate(settings, 50).Select(e => e.EventId),
            Generate(settings with { Seed = 100 }, 50).Select(e => e.EventId));
    }

    [Fact]
    public void Events_are_valid_and_cover_the_full_seed_ranges()
    {
        var settings = new GeneratorSettings { Mode = GeneratorMode.Seed, Cars = 30, Seed = 11 };
        var events = Generate(settings, 30_000);

        foreach (var e in events)
        {
            var parsed = RawEventParser.Parse(WireFormat.ToJson(e), ValidationLimits.Default);
            Assert.True(parsed.IsValid, parsed.Error);
            Assert.Null(e.Location);
        }

        Assert.Equal(0, events.Min(e => e.Speed));
        Assert.Equal(200, events.Max(e => e.Speed));
        Assert.InRange(events.Min(e => e.Rpm), 0, 10);
        Assert.InRange(events.Max(e => e.Rpm), 7990, 8000);
        Assert.Equal(Enumerable.Range(1, 7), events.Select(e => e.Gear).Distinct().Order());
        Assert.Equal(SeedFleet.Cars(30).Select(c => c.CarId).Order(), events.Select(e => e.CarId).Distinct().Order());
        // Uniform choice: no car gets far more than its share (1000 each on average).
        Assert.All(events.GroupBy(e => e.CarId), g => Assert.InRange(g.Count(), 800, 1200));
    }

    [Fact]
    public void Event_time_is_the_given_now_and_ids_are_version_4_uuids()
    {
        var source = new SeedModeSource(new GeneratorSettings { Mode = GeneratorMode.Seed });
        var ids = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            var now = SimulatedRun.Origin.AddSeconds(i);
            var e = source.Next(now);
            Assert.Equal(now, e.EventTime);
            Assert.True(Guid.TryParseExact(e.EventId, "D", out var id));
            Assert.Equal(4, id.Version);
            Assert.True(ids.Add(e.EventId));
        }
    }

    [Fact]
    public void Settings_pick_the_source_for_their_mode()
    {
        Assert.IsType<SeedModeSource>(new GeneratorSettings { Mode = GeneratorMode.Seed }.CreateSource());
        Assert.IsType<FleetSimulator>(new GeneratorSettings { Mode = GeneratorMode.Fleet }.CreateSource());
    }
}
