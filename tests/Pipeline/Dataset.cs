using System.Text;
using TrafficActors.Domain;
using System.Text.Json;
using TrafficActors.Reference;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Pipeline;

/// <summary>
/// A known mix of valid, alerting and malformed raw events, with the expected outcome computed by an oracle that
/// restates the seed's rules independently of the production rule engine.
/// </summary>
internal sealed class Dataset
{
    public const long UnknownCar = 9_999_999;

    public List<RawEvent> Valid { get; } = [];

    public List<(byte[] Payload, string ReasonPrefix)> Malformed { get; } = [];

    public static IReadOnlyList<string> ExpectedViolations(RawEvent e)
    {
        var expectedGear = (int)Math.Clamp(Math.Floor((e.Speed / 30) + 0.5), 1, 7);
        var v = new List<string>();
        if (e.Speed > 120) v.Add("overspeed");
        if (e.Gear != expectedGear) v.Add("wrong_gear");
        if (e.Rpm > 6000) v.Add("engine_stress");
        return v;
    }

    /// <param name="fleet">Cars drawn from (plus one unknown car); nodes must load the same fleet (traffic.reference.cars).</param>
    public static Dataset Create(int valid, DateTimeOffset start, int seed = 7, double spanSeconds = 90, int fleet = 20)
    {
        var rnd = new Random(seed);
        var cars = SeedFleet.Cars(fleet).Select(c => c.CarId).Append(UnknownCar).ToArray();
        var d = new Dataset();
        for (var i = 0; i < valid; i++)
        {
            var speed = Math.Round(rnd.NextDouble() * 200, 1);
            var expected = (int)Math.Clamp(Math.Floor((speed / 30) + 0.5), 1, 7);
            var gear = rnd.Next(4) == 0 ? rnd.Next(1, 8) : expected;
            var rpm = rnd.Next(5) == 0 ? rnd.Next(6001, 8000) : rnd.Next(800, 6000);
            var location = rnd.Next(2) == 0 ? null : new GeoPoint(32 + rnd.NextDouble() / 5, 34.7 + rnd.NextDouble() / 5);
            d.Valid.Add(new RawEvent($"ev-{seed}-{i:D5}", start.AddMilliseconds(i * spanSeconds * 1000 / valid), cars[rnd.Next(cars.Length)], speed, rpm, gear, location));
        }

        var t = start.ToString("O");
        d.Bad("this is not json", "malformed JSON");
        d.Bad($$"""{"event_id":"m2","event_time":"{{t}}","car_id":1000007,"speed":"fast","rpm":1000,"gear":1}""", "malformed JSON at $.speed");
        d.Bad($$"""{"event_id":"m3","event_time":"{{t}}","speed":10,"rpm":1000,"gear":1}""", "missing field: car_id");
        d.Bad($$"""{"event_id":"m4","event_time":"{{t}}","car_id":1000007,"speed":-10,"rpm":1000,"gear":1}""", "speed out of range");
        d.Bad($$"""{"event_id":"m5","event_time":"{{t}}","car_id":1000007,"speed":10,"rpm":1000,"gear":9}""", "gear out of range");
        d.Bad($$"""{"event_id":"m6","event_time":"{{t}}","car_id":1000007,"speed":10,"rpm":25000,"gear":1}""", "rpm out of range");
        d.Bad($$"""{"event_id":"m7","event_time":"{{t}}","car_id":1000007,"speed":450,"rpm":1000,"gear":1}""", "speed out of range");
        d.Bad($$"""{"event_id":"m8","event_time":"{{t}}","car_id":"abc","speed":10,"rpm":1000,"gear":1}""", "malformed JSON at $.car_id");
        d.Bad($$"""{"event_id":"m9","event_time":"{{t}}","car_id":1000007,"speed":10,"rpm":1000,"gear":1,"pad":"{{new string('x', 70_000)}}"}""", "message too large");
        d.Malformed.Add(([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "invalid UTF-8"));
        return d;
    }

    /// <summary>Both datasets' events as one (their event ids differ when their seeds do).</summary>
    public static Dataset Union(Dataset a, Dataset b)
    {
        var all = new Dataset();
        all.Valid.AddRange(a.Valid);
        all.Valid.AddRange(b.Valid);
        all.Malformed.AddRange(a.Malformed);
        all.Malformed.AddRange(b.Malformed);
        return all;
    }

    /// <summary>Alerting events grouped by the one-minute window they belong to.</summary>
    public Dictionary<DateTimeOffset, List<RawEvent>> ExpectedWindows() =>
        Valid.Where(e => ExpectedViolations(e).Count > 0)
            .GroupBy(e => WindowKey.StartOf(e.EventTime, TimeSpan.FromMinutes(1)))
            .ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>Asserts that one window of <c>/api/windows</c> holds exactly the figures of <paramref name="events"/>.</summary>
    public static void AssertWindow(JsonElement w, IReadOnlyList<RawEvent> events, int fleetSize = 20)
    {
        var fleet = SeedFleet.Snapshot(fleetSize);
        Assert.Equal(events.Count, w.GetProperty("alerts").GetInt64());
        Assert.Equal(0, w.GetProperty("late").GetInt64());
        Assert.Equal(events.Max(e => e.Speed), w.GetProperty("max_speed").GetDouble());
        Assert.Equal(events.Max(e => e.Gear), w.GetProperty("max_gear").GetInt32());
        Assert.Equal(events.Max(e => e.Rpm), w.GetProperty("max_rpm").GetInt32());
        var byColor = w.GetProperty("by_color").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var expectedColors = events.GroupBy(e => fleet.Lookup(e.CarId)?.ColorName ?? WindowState.UnknownColor).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedColors.OrderBy(kv => kv.Key), byColor.OrderBy(kv => kv.Key));
        var byRule = w.GetProperty("by_rule").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var expectedRules = events.SelectMany(ExpectedViolations).GroupBy(r => r).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedRules.OrderBy(kv => kv.Key), byRule.OrderBy(kv => kv.Key));
    }

    private void Bad(string json, string reason) => Malformed.Add((Encoding.UTF8.GetBytes(json), reason));

    /// <summary>Valid and malformed payloads interleaved deterministically, keyed by car where there is one.</summary>
    public IEnumerable<(byte[]? Key, byte[] Value)> Messages()
    {
        var bad = 0;
        for (var i = 0; i < Valid.Count; i++)
        {
            yield return (WireFormat.CarKey(Valid[i].CarId), WireFormat.ToJson(Valid[i]));
            if (i % 37 == 0 && bad < Malformed.Count) yield return (null, Malformed[bad++].Payload);
        }

        while (bad < Malformed.Count) yield return (null, Malformed[bad++].Payload);
    }
}
