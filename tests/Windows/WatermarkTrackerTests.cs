using Microsoft.Extensions.Time.Testing;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

[Trait(Tier.Name, Tier.Fast)]
public sealed class WatermarkTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    private static void Process(WatermarkTracker t, int partition, DateTimeOffset eventTime)
    {
        t.Consumed(partition);
        t.Processed(partition, 1, eventTime);
    }

    [Fact]
    public void The_watermark_is_the_lowest_partition_and_a_skewed_partition_holds_it_back_until_idle()
    {
        var clock = new FakeTimeProvider(T0);
        var t = new WatermarkTracker(Idle, clock);
        t.Assign([0, 1, 2]);
        Assert.Null(t.Watermark);

        Process(t, 0, T0.AddMinutes(10));
        Process(t, 1, T0.AddMinutes(3));
        // Partition 2 assigned but nothing processed yet: no watermark, nothing may close.
        Assert.Null(t.Watermark);
        Process(t, 2, T0.AddMinutes(8));
        Assert.Equal(T0.AddMinutes(3), t.Watermark);

        // Partition 1 lags (skew) while 0 and 2 go on: it holds the watermark back...
        clock.Advance(Idle / 2);
        Process(t, 0, T0.AddMinutes(12));
        Process(t, 2, T0.AddMinutes(11));
        Assert.Equal(T0.AddMinutes(3), t.Watermark);

        // ...until it has had no record for the idle timeout.
        clock.Advance(Idle / 2);
        Assert.Equal(T0.AddMinutes(11), t.Watermark);
        Assert.True(t.Report().Single(p => p.Partition == 1).Idle);

        // A record on it makes it count again.
        Process(t, 1, T0.AddMinutes(4));
        Assert.Equal(T0.AddMinutes(4), t.Watermark);
    }

    [Fact]
    public void An_event_time_lower_than_the_highest_does_not_move_a_partition_back()
    {
        var t = new WatermarkTracker(Idle, new FakeTimeProvider(T0));
        t.Assign([0]);
        Process(t, 0, T0.AddMinutes(5));
        Process(t, 0, T0.AddMinutes(2));
        Assert.Equal(T0.AddMinutes(5), t.Watermark);
    }

    [Fact]
    public void A_partition_with_records_in_flight_is_never_idle()
    {
        var clock = new FakeTimeProvider(T0);
        var t = new WatermarkTracker(Idle, clock);
        t.Assign([0, 1]);
        Process(t, 0, T0.AddMinutes(9));
        Process(t, 1, T0.AddMinutes(1));
        t.Consumed(1);
        clock.Advance(Idle * 3);
        Assert.False(t.Report().Single(p => p.Partition == 1).Idle);
        Assert.Equal(T0.AddMinutes(1), t.Watermark);
        t.Processed(1, 1, T0.AddMinutes(2));
        Assert.Equal(T0.AddMinutes(2), t.Watermark);
    }

    [Fact]
    public void When_every_partition_is_idle_the_watermark_is_the_highest_event_time_seen()
    {
        var clock = new FakeTimeProvider(T0);
        var t = new WatermarkTracker(Idle, clock);
        t.Assign([0, 1, 2]);
        Process(t, 0, T0.AddMinutes(7));
        Process(t, 1, T0.AddMinutes(2));
        clock.Advance(Idle);
        // Partition 2 never had a record: idle too, and it has nothing to add.
        Assert.Equal(T0.AddMinutes(7), t.Watermark);
    }

    [Fact]
    public void Revoked_partitions_are_forgotten_and_new_ones_hold_back_until_they_have_records()
    {
        var clock = new FakeTimeProvider(T0);
        var t = new WatermarkTracker(Idle, clock);
        t.Assign([0, 1]);
        Process(t, 0, T0.AddMinutes(5));
        Process(t, 1, T0.AddMinutes(1));
        t.Assign([0, 3]);
        Assert.Equal([0, 3], t.Partitions.Order());
        Assert.Null(t.Watermark);
        // A late answer for a revoked partition changes nothing.
        t.Processed(1, 1, T0.AddMinutes(30));
        Assert.DoesNotContain(t.Report(), p => p.Partition == 1);
        Process(t, 3, T0.AddMinutes(6));
        Assert.Equal(T0.AddMinutes(5), t.Watermark);
    }

    [Fact]
    public void The_cluster_watermark_waits_for_every_partition_and_takes_the_lowest_over_nodes()
    {
        var clock = new FakeTimeProvider(T0);
        var cluster = new ClusterWatermark(4, Idle, clock);
        cluster.Report("a", [new(0, T0.AddMinutes(9), false), new(1, T0.AddMinutes(8), false)]);
        // Node b's partitions are not known yet: no watermark, however far node a is.
        Assert.Null(cluster.Update());
        cluster.Report("b", [new(2, T0.AddMinutes(4), false), new(3, null, true)]);
        Assert.Equal(T0.AddMinutes(4), cluster.Update());

        // Partition 2 moves from b to c, which has not processed anything of it yet: the highest known counts.
        cluster.Report("c", [new(2, null, false)]);
        cluster.Report("b", [new(3, null, true)]);
        Assert.Equal(T0.AddMinutes(4), cluster.Update());
        cluster.Report("c", [new(2, T0.AddMinutes(6), false)]);
        Assert.Equal(T0.AddMinutes(6), cluster.Update());
    }

    [Fact]
    public void The_cluster_watermark_never_goes_back_and_forgets_stale_nodes()
    {
        var clock = new FakeTimeProvider(T0);
        var cluster = new ClusterWatermark(2, Idle, clock);
        cluster.Report("a", [new(0, T0.AddMinutes(5), false)]);
        cluster.Report("b", [new(1, T0.AddMinutes(6), false)]);
        Assert.Equal(T0.AddMinutes(5), cluster.Update());

        // Node a restarted and resumes partition 0 from its committed offset: lower, but nothing reopens.
        cluster.Report("a", [new(0, T0.AddMinutes(3), false)]);
        Assert.Equal(T0.AddMinutes(5), cluster.Update());

        // Node b stops reporting: once its report is stale, partition 1 is unknown and the watermark stays.
        clock.Advance(Idle / 2);
        cluster.Report("a", [new(0, T0.AddMinutes(20), false)]);
        clock.Advance(Idle);
        cluster.Report("a", [new(0, T0.AddMinutes(21), false)]);
        Assert.Equal(T0.AddMinutes(5), cluster.Update());
    }

    [Fact]
    public void Reports_of_partitions_outside_the_topic_are_ignored()
    {
        var cluster = new ClusterWatermark(1, Idle, new FakeTimeProvider(T0));
        cluster.Report("a", [new(7, T0, false), new(-1, T0, false)]);
        Assert.Null(cluster.Update());
    }
}
