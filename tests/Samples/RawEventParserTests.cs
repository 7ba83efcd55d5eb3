using System.Text;
using TrafficActors.Domain;
using Xunit;

namespace TrafficActors.Tests.Samples;

[Trait(Tier.Name, Tier.Fast)]
public sealed class RawEventParserTests
{
    private static ParseResult Parse(string json) => RawEventParser.Parse(Encoding.UTF8.GetBytes(json), ValidationLimits.Default);

    [Fact]
    public void Parses_seed_event_without_location_and_reads_naive_time_as_utc()
    {
        var r = Parse("""{"event_id":"e1","event_time":"2026-11-28T10:15:30.123456","car_id":1234567,"speed":87,"rpm":2500,"gear":3}""");
        Assert.True(r.IsValid, r.Error);
        var e = r.Event!;
        Assert.Equal("e1", e.EventId);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 15, 30, TimeSpan.Zero).AddTicks(1234560), e.EventTime);
        Assert.Equal(TimeSpan.Zero, e.EventTime.Offset);
        Assert.Equal(1234567, e.CarId);
        Assert.Equal(87, e.Speed);
        Assert.Equal(2500, e.Rpm);
        Assert.Equal(3, e.Gear);
        Assert.Null(e.Location);
    }

    [Fact]
    public void Normalises_an_offset_to_utc_and_keeps_location()
    {
        var r = Parse("""{"event_id":"e2","event_time":"2026-11-28T12:00:00+02:00","car_id":7654321,"speed":130.5,"rpm":6100,"gear":5,"location":{"lat":32.08,"lon":34.78}}""");
        Assert.True(r.IsValid, r.Error);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), r.Event!.EventTime);
        Assert.Equal(new GeoPoint(32.08, 34.78), r.Event.Location);
        Assert.Equal(130.5, r.Event.Speed);
    }

    [Theory]
    [InlineData("not json at all", "malformed JSON")]
    [InlineData("[1,2,3]", "malformed JSON")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":"fast","rpm":1,"gear":1}""", "malformed JSON at $.speed")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":"1234567","speed":1,"rpm":1,"gear":1}""", "malformed JSON at $.car_id")]
    [InlineData("""{"event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1}""", "missing field: event_id")]
    [InlineData("""{"event_id":"e","car_id":1,"speed":1,"rpm":1,"gear":1}""", "missing field: event_time")]
    [InlineData("""{"event_id":"e","event_time":"yesterday","car_id":1,"speed":1,"rpm":1,"gear":1}""", "invalid event_time")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","speed":1,"rpm":1,"gear":1}""", "missing field: car_id")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":-5,"speed":1,"rpm":1,"gear":1}""", "invalid car_id")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"rpm":1,"gear":1}""", "missing field: speed")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":-1,"rpm":1,"gear":1}""", "speed out of range")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":401,"rpm":1,"gear":1}""", "speed out of range")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":-3,"gear":1}""", "rpm out of range")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":20001,"gear":1}""", "rpm out of range")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":0}""", "gear out of range")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":8}""", "gear out of range")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":2.5}""", "invalid gear")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1}""", "missing field: gear")]
    [InlineData("""{"event_id":"e","event_time":"2026-11-28T10:00:00Z","car_id":1,"speed":1,"rpm":1,"gear":1,"location":{"lat":95,"lon":0}}""", "location out of range")]
    [InlineData("", "empty message")]
    public void Rejects_bad_input_with_a_reason(string json, string reason)
    {
        var r = Parse(json);
        Assert.False(r.IsValid);
        Assert.StartsWith(reason, r.Error);
    }

    [Fact]
    public void Rejects_oversized_messages_before_parsing()
    {
        var payload = new byte[ValidationLimits.Default.MaxMessageBytes + 1];
        var r = RawEventParser.Parse(payload, ValidationLimits.Default);
        Assert.Equal("message too large: over 65536 bytes", r.Error);
    }

    [Fact]
    public void Rejects_deeply_nested_json_and_invalid_utf8()
    {
        var nested = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}";
        Assert.StartsWith("malformed JSON", Parse(nested).Error);
        var invalidUtf8 = new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
        Assert.Equal("invalid UTF-8", RawEventParser.Parse(invalidUtf8, ValidationLimits.Default).Error);
    }

    [Fact]
    public void Round_trips_through_the_wire_format()
    {
        var e = new RawEvent("id-1", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), 1000004, 55.5, 3000, 2, new GeoPoint(32.1, 34.8));
        var json = Encoding.UTF8.GetString(WireFormat.ToJson(e));
        Assert.Contains("\"event_id\":\"id-1\"", json);
        Assert.Contains("\"car_id\":1000004", json);
        Assert.Equal(e, Parse(json).Event);
        var noLocation = Encoding.UTF8.GetString(WireFormat.ToJson(e with { Location = null }));
        Assert.DoesNotContain("location", noLocation);
    }
}
