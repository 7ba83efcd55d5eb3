using System.Text;
using System.Text.Json;
using TrafficActors.Domain;
using Xunit;

namespace TrafficActors.Tests.Samples;

/// <summary>The hand-written writers must emit exactly what the source-generated serializer emits.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class WireFormatWriterTests
{
    private static readonly string[] Ids =
    [
        "e1", "", "id-1", "ünïcødé-€", "日本語", "emoji-😀", "quote\"inside", "back\\slash", "ctl\u0001\u001f\t\n\r",
        "<html>&'", "+plus", "slash/", "\u007f\u0080\u00a0", "\u2028\u2029", new string('x', 300),
    ];

    private static readonly double[] Speeds =
    [
        0, 130, 130.5, 1e-7, 123456789.123, -0.0, 0.1 + 0.2, 1e21, 5e-324, double.MaxValue, 99.99999999999999, 3.0,
    ];

    private static readonly TimeSpan[] Offsets =
    [
        TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromHours(-5), new TimeSpan(5, 30, 0), TimeSpan.FromHours(14),
        TimeSpan.FromHours(-14), new TimeSpan(-3, -45, 0),
    ];

    private static IEnumerable<EnrichedSample> Samples(int count, int seed)
    {
        var rng = new Random(seed);
        string? Maybe(string s) => rng.Next(3) == 0 ? null : s;
        for (var n = 0; n < count; n++)
        {
            var baseTime = new DateTime(2020, 1, 1).AddTicks((long)(rng.NextDouble() * TimeSpan.TicksPerDay * 3650));
            var ticks = rng.Next(4) switch
            {
                0 => baseTime.Ticks - baseTime.Ticks % TimeSpan.TicksPerSecond,
                1 => baseTime.Ticks - baseTime.Ticks % TimeSpan.TicksPerMillisecond,
                _ => baseTime.Ticks,
            };
            var time = new DateTimeOffset(ticks, Offsets[rng.Next(Offsets.Length)]);
            var location = rng.Next(2) == 0 ? null : new GeoPoint(Speeds[rng.Next(Speeds.Length)] % 90, rng.NextDouble() * 360 - 180);
            yield return new EnrichedSample(
                Ids[rng.Next(Ids.Length)] + Ids[rng.Next(Ids.Length)], time, rng.NextInt64(1, 9_999_999_999),
                Speeds[rng.Next(Speeds.Length)], rng.Next(0, 20001), rng.Next(-1, 8), location,
                rng.Next(3) == 0 ? null : rng.NextInt64(long.MinValue, long.MaxValue),
                Maybe(Ids[rng.Next(Ids.Length)]), Maybe(Ids[rng.Next(Ids.Length)]), Maybe(Ids[rng.Next(Ids.Length)]),
                rng.Next(int.MinValue, int.MaxValue));
        }
    }

    private static void AssertSameBytes(byte[] expected, byte[] actual) =>
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));

    [Fact]
    public void Enriched_samples_match_the_serializer_byte_for_byte()
    {
        foreach (var s in Samples(3000, 1))
        {
            var expected = JsonSerializer.SerializeToUtf8Bytes(s, TrafficJson.Default.EnrichedSample);
            AssertSameBytes(expected, WireFormat.ToJson(s));
            Assert.Equal(expected, WireFormat.ToJson(s));
        }
    }

    [Fact]
    public void Alerts_match_the_serializer_byte_for_byte()
    {
        var rng = new Random(2);
        foreach (var s in Samples(3000, 3))
        {
            var violations = Enumerable.Range(0, rng.Next(6)).Select(_ => Ids[rng.Next(Ids.Length)]).ToArray();
            var alert = new Alert(s, violations);
            var expected = SeedAlertJson(s, violations);
            Assert.Equal(expected, WireFormat.ToJson(alert));
            Assert.Equal(expected, JsonSerializer.SerializeToUtf8Bytes(alert, TrafficJson.Default.Alert));
            Assert.Equal(alert.Sample, WireFormat.ReadAlert(expected).Sample);
            Assert.Equal(violations, WireFormat.ReadAlert(expected).Violations);
            // Built from the sample's own JSON, as the producer does when it has just written the sample.
            Assert.Equal(expected, WireFormat.AlertJson(WireFormat.ToJson(s), violations));
        }
    }

    [Fact]
    public void Rules_version_is_written_after_the_violations_and_both_writers_agree_byte_for_byte()
    {
        var rng = new Random(8);
        var versions = new[] { "2026-12-07.1", "v1", "a:b+c_d", "ünï-€", "quote\"inside", "<html>&'", "日本語" };
        foreach (var s in Samples(1000, 9))
        {
            var violations = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Ids[rng.Next(Ids.Length)]).ToArray();
            var version = versions[rng.Next(versions.Length)];
            var alert = new Alert(s, violations, version);
            var expected = SeedAlertJson(s, violations, version);
            Assert.Equal(expected, WireFormat.ToJson(alert));
            Assert.Equal(expected, JsonSerializer.SerializeToUtf8Bytes(alert, TrafficJson.Default.Alert));
            Assert.Equal(expected, WireFormat.AlertJson(WireFormat.ToJson(s), violations, version));
            var back = WireFormat.ReadAlert(expected);
            Assert.Equal(version, back.RulesVersion);
            Assert.Equal(violations, back.Violations);
            Assert.Equal(s, back.Sample with { EventTime = s.EventTime });
        }
    }

    [Fact]
    public void Rules_version_is_the_last_member_and_absent_when_unknown()
    {
        var sample = Samples(1, 10).Single();
        var with = JsonDocument.Parse(WireFormat.ToJson(new Alert(sample, ["overspeed"], "v7"))).RootElement;
        var names = with.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal([WireFormat.ViolationsField, WireFormat.RulesVersionField], names[^2..]);
        Assert.Equal("v7", with.GetProperty(WireFormat.RulesVersionField).GetString());

        var without = WireFormat.ToJson(new Alert(sample, ["overspeed"]));
        Assert.False(JsonDocument.Parse(without).RootElement.TryGetProperty(WireFormat.RulesVersionField, out _));
        Assert.Equal(SeedAlertJson(sample, ["overspeed"]), without);
        Assert.Equal(without, WireFormat.AlertJson(WireFormat.ToJson(sample), ["overspeed"], null));
        Assert.Null(WireFormat.ReadAlert(without).RulesVersion);
    }

    [Fact]
    public void Alerts_written_before_rules_had_versions_or_with_a_null_version_read_as_unknown()
    {
        var sample = Samples(1, 11).Single();
        var old = SeedAlertJson(sample, ["wrong_gear"]);
        Assert.Null(WireFormat.ReadAlert(old).RulesVersion);
        byte[] nullVersion = [.. old[..^1], .. ",\"rules_version\":null}"u8];
        var read = WireFormat.ReadAlert(nullVersion);
        Assert.Null(read.RulesVersion);
        Assert.Equal(["wrong_gear"], read.Violations);
    }

    [Fact]
    public void A_null_violation_list_with_a_version_gets_the_same_bytes_from_both_writers()
    {
        var sample = new EnrichedSample(null!, DateTimeOffset.UnixEpoch, 1, 1, 1, 1, null, null, null, null, null, 0);
        var expected = SeedAlertJson(sample, null, "v1");
        Assert.Equal(expected, WireFormat.ToJson(new Alert(sample, null!, "v1")));
        Assert.Equal(expected, WireFormat.AlertJson(WireFormat.ToJson(sample), null, "v1"));
    }

    [Fact]
    public void Null_values_in_non_nullable_members_are_written_as_the_serializer_writes_them()
    {
        var sample = new EnrichedSample(null!, DateTimeOffset.UnixEpoch, 1, 1, 1, 1, null, null, null, null, null, 0);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(sample, TrafficJson.Default.EnrichedSample), WireFormat.ToJson(sample));
        var alert = new Alert(sample, null!);
        Assert.Equal(SeedAlertJson(sample, null), WireFormat.ToJson(alert));
        Assert.Equal(SeedAlertJson(sample, null), WireFormat.AlertJson(WireFormat.ToJson(sample), null));
        var nullItem = new Alert(sample, [null!, "x"]);
        Assert.Equal(SeedAlertJson(sample, [null!, "x"]), WireFormat.ToJson(nullItem));
        Assert.Equal(SeedAlertJson(sample, [null!, "x"]), WireFormat.AlertJson(WireFormat.ToJson(sample), [null!, "x"]));
    }

    [Fact]
    public void A_huge_record_does_not_disturb_later_output()
    {
        var small = Samples(1, 4).Single();
        var huge = small with { BrandName = new string('b', 200_000) };
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(huge, TrafficJson.Default.EnrichedSample), WireFormat.ToJson(huge));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(small, TrafficJson.Default.EnrichedSample), WireFormat.ToJson(small));
    }

    [Fact]
    public void Output_reads_back_to_an_equal_record()
    {
        foreach (var s in Samples(200, 5))
        {
            var back = WireFormat.ReadEnriched(WireFormat.ToJson(s));
            Assert.Equal(s with { EventTime = back.EventTime }, back);
            Assert.Equal(s.EventTime, back.EventTime);
        }
    }

    [Fact]
    public void Lone_surrogates_get_the_serializer_outcome()
    {
        foreach (var id in new[] { "\ud800", "a\udc00b", "\udc00\ud800" })
        {
            var sample = Samples(1, 6).Single() with { EventId = id };
            byte[]? expected = null;
            try
            {
                expected = JsonSerializer.SerializeToUtf8Bytes(sample, TrafficJson.Default.EnrichedSample);
            }
            catch (ArgumentException)
            {
            }

            if (expected is null) Assert.ThrowsAny<ArgumentException>(() => WireFormat.ToJson(sample));
            else Assert.Equal(expected, WireFormat.ToJson(sample));
        }

        var after = Samples(1, 7).Single();
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(after, TrafficJson.Default.EnrichedSample), WireFormat.ToJson(after));
    }

    /// <summary>
    /// The seed's alert, built independently of the writer: the serializer's JSON of the sample with the
    /// serializer's JSON of the violations appended, then the serializer's JSON of the rules' version when known.
    /// </summary>
    private static byte[] SeedAlertJson(EnrichedSample sample, string[]? violations, string? rulesVersion = null)
    {
        var fields = JsonSerializer.SerializeToUtf8Bytes(sample, TrafficJson.Default.EnrichedSample);
        var list = JsonSerializer.SerializeToUtf8Bytes(violations, TrafficJson.Default.StringArray);
        byte[] version = rulesVersion is null ? [] : [.. ",\"rules_version\":"u8, .. JsonSerializer.SerializeToUtf8Bytes(rulesVersion, TrafficJson.Default.String)];
        return [.. fields[..^1], .. ",\"violations\":"u8, .. list, .. version, (byte)'}'];
    }
}
