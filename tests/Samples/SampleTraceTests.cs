using TrafficActors.Domain;
using Xunit;

namespace TrafficActors.Tests.Samples;

[Trait(Tier.Name, Tier.Fast)]
public sealed class SampleTraceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static void Add(SampleTrace trace, double seconds, double speed, int rpm, int gear) =>
        trace.Add(T0.AddSeconds(seconds).UtcTicks, speed, rpm, gear);

    [Fact]
    public void An_empty_trace_has_no_points()
    {
        var trace = new SampleTrace(3);
        Assert.Empty(trace.Recent(TimeSpan.FromHours(1)));
        Assert.Equal(0, trace.Count);
    }

    [Fact]
    public void A_full_ring_drops_its_oldest_points_and_reads_back_what_was_added()
    {
        var trace = new SampleTrace(3);
        Add(trace, 0, 10, 900, 1);
        Add(trace, 1, 87.3, 3100, 3);
        Assert.Equal([new TracePoint(T0, 10, 900, 1), new TracePoint(T0.AddSeconds(1), 87.3, 3100, 3)], trace.Recent(TimeSpan.FromHours(1)));

        Add(trace, 2, 123.45, 20_000, 7);
        Add(trace, 3, 0, 0, 1);
        Add(trace, 4, 399.9, 6001, 6);
        Assert.Equal(3, trace.Count);
        Assert.Equal(
            [new TracePoint(T0.AddSeconds(2), 123.45, 20_000, 7), new TracePoint(T0.AddSeconds(3), 0, 0, 1), new TracePoint(T0.AddSeconds(4), 399.9, 6001, 6)],
            trace.Recent(TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Points_older_than_the_span_before_the_newest_are_left_out_and_late_ones_sorted_by_time()
    {
        var trace = new SampleTrace(8);
        Add(trace, 0, 50, 2000, 2);
        Add(trace, 30, 60, 2200, 2);
        Add(trace, 60, 70, 2400, 2);
        Add(trace, 45, 65, 2300, 2); // late
        Assert.Equal([T0.AddSeconds(30), T0.AddSeconds(45), T0.AddSeconds(60)], trace.Recent(TimeSpan.FromSeconds(30)).Select(p => p.EventTime));
        Assert.Equal(4, trace.Recent(TimeSpan.FromMinutes(1)).Length);
    }

    [Fact]
    public void Values_outside_the_compact_ranges_are_clamped_not_wrapped()
    {
        var trace = new SampleTrace(2);
        Add(trace, 0, 10, int.MaxValue, 200);
        Add(trace, 1, 10, -5, -3);
        var points = trace.Recent(TimeSpan.FromHours(1));
        Assert.Equal((int.MaxValue >> 8, (int)sbyte.MaxValue), (points[0].Rpm, points[0].Gear));
        Assert.Equal((0, -3), (points[1].Rpm, points[1].Gear));
    }

    [Fact]
    public void A_ring_needs_room_for_one_point()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleTrace(0));
        var one = new SampleTrace(1);
        Add(one, 0, 10, 900, 1);
        Add(one, 1, 20, 1000, 1);
        Assert.Equal([new TracePoint(T0.AddSeconds(1), 20, 1000, 1)], one.Recent(TimeSpan.FromHours(1)));
    }
}
