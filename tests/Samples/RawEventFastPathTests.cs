using System.Globalization;
using System.Text;
using TrafficActors.Domain;
using Xunit;

namespace TrafficActors.Tests.Samples;

/// <summary>The reader-based fast path must reach the same verdict as the serializer path on every input it takes.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class RawEventFastPathTests
{
    private static readonly ValidationLimits Limits = ValidationLimits.Default;

    private static readonly string[] Ids =
    [
        "e1", "ünïcødé-€", "日本語", "emoji-😀", "quote\"inside", "back\\slash", "ctl\u0001\t\n", "<html>&'", " ", "",
        new string('x', 129),
    ];

    private static readonly double[] Speeds = [0, 130, 130.5, 1e-7, 123456789.123, -0.0, 399.999, 400, 87];

    private static readonly TimeSpan[] Offsets =
        [TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromHours(-5), new TimeSpan(5, 30, 0), TimeSpan.FromHours(14)];

    /// <summary>Asserts the fast path took the payload and agreed with the serializer path.</summary>
    private static void AssertFastAgrees(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(RawEventParser.TryParseFast(bytes, Limits, out var fast), $"fast path declined: {json}");
        AssertSameResult(RawEventParser.ParseWithSerializer(bytes, Limits), fast, json);
        AssertSameResult(fast, RawEventParser.Parse(bytes, Limits), json);
    }

    private static void AssertSameResult(ParseResult expected, ParseResult actual, string json)
    {
        Assert.True(expected.Error == actual.Error, $"{json}: '{expected.Error}' vs '{actual.Error}'");
        Assert.Equal(expected.Event, actual.Event);
        if (expected.Event is { } e) Assert.Equal(e.EventTime.Offset, actual.Event!.EventTime.Offset);
    }

    [Fact]
    public void Agrees_with_the_serializer_on_generated_wire_events()
    {
        var rng = new Random(11);
        for (var n = 0; n < 3000; n++)
        {
            var time = new DateTimeOffset(new DateTime(2020, 1, 1).AddTicks(rng.NextInt64(TimeSpan.TicksPerDay * 3650)),
                Offsets[rng.Next(Offsets.Length)]);
            var e = new RawEvent(Ids[rng.Next(Ids.Length)], time, rng.NextInt64(-2, 10_000_000_001),
                Speeds[rng.Next(Speeds.Length)], rng.Next(-1, 20002), rng.Next(-1, 9),
                rng.Next(2) == 0 ? null : new GeoPoint(rng.NextDouble() * 200 - 100, rng.NextDouble() * 380 - 190));
            AssertFastAgrees(Encoding.UTF8.GetString(WireFormat.ToJson(e)));
        }
    }

    [Theory]
    [InlineData("""{"gear":3,"rpm":2500,"speed":87,"car_id":1234567,"event_time":"2026-11-28T10:15:30.123456","event_id":"e1"}""")]
    [InlineData("""{"location":{"lon":34.78,"lat":32.08},"event_id":"e1","event_time":"2026-11-28T12:00:00+02:00","car_id":7,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData(""" { "event_id" : "e1" ,"event_time":"2026-11-28T10:15:30Z",  "car_id":1.0e6,"speed":0.0,"rpm":3.0,"gear":3.0 }  """)]
    [InlineData("{\r\n\t\"event_id\":\"e1\",\n\"event_time\":\"2026-11-28T10:15:30.1234567-03:30\",\"car_id\":1,\"speed\":1,\"rpm\":1,\"gear\":1\r\n}\n")]
    [InlineData("""{"extra":{"a":[1,{"b":null}],"c":"d"},"event_id":"e1","list":[1,2,[3]],"event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1,"flag":true,"none":null}""")]
    [InlineData("""{"event_id":"e1","event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1,"location":{"alt":[1,2],"lat":-90,"lon":180,"x":{}}}""")]
    [InlineData("""{"Event_Id":"x","EVENT_ID":"y","event_id":"e1","event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e\u00e9\"\\","event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e1","event_time":"2026-11-28","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e1","event_time":"2026-11-28 10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e1","event_time":"2026-11-28T10:15:30\u002B02:00","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e1","event_time":"yesterday","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e1","event_time":"2026-02-30T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e1","event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":2.5}""")]
    [InlineData("""{"event_id":"e1","event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1}""")]
    [InlineData("""{"event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e1","event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1,"location":{"lat":95,"lon":0}}""")]
    [InlineData("""{}""")]
    [InlineData("""{"x":1,"x":[2],"event_id":"e1","event_time":"2026-11-28T10:15:30","car_id":1,"speed":1,"rpm":1,"gear":1,"x":{}}""")]
    [InlineData("""{"event_id":"e","car_id":1e400,"event_time":"2026-11-28T10:00:00Z","speed":1,"rpm":1,"gear":1}""")]
    public void Agrees_with_the_serializer_on_hand_written_variants(string json) => AssertFastAgrees(json);

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    [InlineData("{\"event_id\":\"e\"} {}")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":"fast","rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"a","event_id":"b","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":null,"event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1,"location":null}""")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1,"location":{"lat":1}}""")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1,"location":{"lat":1,"lon":2,"lat":3}}""")]
    [InlineData("""{"event\u005fid":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"$id":"1","event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1}""")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1,}""")]
    public void Declines_unusual_input_and_leaves_it_to_the_serializer(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.False(RawEventParser.TryParseFast(bytes, Limits, out _));
        AssertSameResult(RawEventParser.ParseWithSerializer(bytes, Limits), RawEventParser.Parse(bytes, Limits), json);
    }

    [Fact]
    public void Declines_nesting_deeper_than_the_serializer_allows()
    {
        var nested = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}";
        Assert.False(RawEventParser.TryParseFast(Encoding.UTF8.GetBytes(nested), Limits, out _));
        var withinLimit = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 14)) + string.Concat(Enumerable.Repeat("]", 14))
            + ",\"event_id\":\"e\",\"event_time\":\"2026-11-28T10:00:00Z\",\"car_id\":1,\"speed\":1,\"rpm\":1,\"gear\":1}";
        AssertFastAgrees(withinLimit);
    }

    [Fact]
    public void The_byte_time_reader_agrees_with_the_text_one_whenever_it_accepts()
    {
        var rng = new Random(12);
        var samples = new List<string>
        {
            "2026-11-28T10:15:30", "2026-11-28T10:15:30Z", "2026-11-28T10:15:30.1Z", "2026-11-28T10:15:30.1234567+14:00",
            "2026-11-28T10:15:30-14:00", "2026-11-28T10:15:30+14:01", "2026-11-28T10:15:30+15:00", "2026-11-28T10:15:30.12345678",
            "2024-02-29T23:59:59.9999999-00:00", "2023-02-29T00:00:00", "2026-11-28T24:00:00", "2026-11-28T10:60:00",
            "2026-11-28T10:15:60", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00-01:00", "9999-12-31T23:59:59.9999999Z",
            "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59+01:00", "0000-01-01T00:00:00", "2026-13-01T00:00:00",
            "2026-11-28T10:15:30.", "2026-11-28T10:15:30z", "2026-11-28t10:15:30", "2026-11-28T10:15:30+0200",
            "2026-11-28T10:15:30+02", "2026-11-28T10:15:30 ", " 2026-11-28T10:15:30", "2026-11-28T10:15", "2026-11-28",
        };
        for (var n = 0; n < 2000; n++)
        {
            var local = new DateTime(1, 1, 1).AddTicks(rng.NextInt64(DateTime.MaxValue.Ticks));
            var text = local.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            var digits = rng.Next(8);
            if (digits > 0) text += "." + (local.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture)[..digits];
            text += rng.Next(4) switch
            {
                0 => "",
                1 => "Z",
                _ => (rng.Next(2) == 0 ? "+" : "-") + rng.Next(15).ToString("D2", CultureInfo.InvariantCulture) + ":"
                    + (rng.Next(4) * 15).ToString("D2", CultureInfo.InvariantCulture),
            };
            samples.Add(text);
        }

        var accepted = 0;
        foreach (var text in samples)
        {
            if (!RawEventParser.TryParseIsoUtc(Encoding.UTF8.GetBytes(text), out var fast)) continue;
            accepted++;
            Assert.True(RawEventParser.TryParseEventTime(text, out var reference), text);
            Assert.Equal(reference, fast);
            Assert.Equal(reference.Offset, fast.Offset);
        }

        Assert.True(accepted > 1500, $"only {accepted} accepted");
    }
}
