using Confluent.Kafka;
using TrafficActors.Kafka;
using Xunit;

namespace TrafficActors.Tests.Kafka;

/// <summary>The watchdog's bookkeeping on its own, with explicit clock values.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class StallWatchdogTests
{
    private static readonly TopicPartition P0 = new("t", new Partition(0));
    private static readonly TopicPartition P1 = new("t", new Partition(1));

    [Fact]
    public void A_partition_is_due_only_after_a_whole_timeout_of_silence()
    {
        var w = new StallWatchdog(TimeSpan.FromSeconds(10));
        w.Assigned(new[] { P0, P1 }, now: 0);
        Assert.Empty(w.Due(9_999));
        w.Progressed(P1, 5_000);
        Assert.Equal(new[] { P0 }, w.Due(12_500));
        Assert.Equal(new[] { P0, P1 }, w.Due(15_000).OrderBy(tp => tp.Partition.Value));
    }

    [Fact]
    public void Checks_run_at_most_every_quarter_timeout()
    {
        var w = new StallWatchdog(TimeSpan.FromSeconds(10));
        w.Assigned(new[] { P0 }, now: 0);
        Assert.Single(w.Due(10_000));
        Assert.Empty(w.Due(12_499));
        Assert.Single(w.Due(12_500));
    }

    [Fact]
    public void Silence_while_the_source_holds_fetching_back_does_not_count()
    {
        var w = new StallWatchdog(TimeSpan.FromSeconds(10));
        w.Assigned(new[] { P0 }, now: 0);
        w.Hold(8_000);
        Assert.Empty(w.Due(17_999));
        Assert.Single(w.Due(20_499));
    }

    [Fact]
    public void A_healed_partition_is_stalled_until_it_delivers_and_the_next_stall_is_a_second_one()
    {
        var w = new StallWatchdog(TimeSpan.FromSeconds(10));
        w.Assigned(new[] { P0 }, now: 0);
        Assert.False(w.HealedBefore);
        w.Healing(w.Due(10_000), 10_000);
        Assert.True(w.HealedBefore);
        Assert.Equal(new[] { P0 }, w.Stalled);
        Assert.Empty(w.Due(19_999));
        Assert.True(w.Progressed(P0, 11_000));
        Assert.Empty(w.Stalled);
        Assert.False(w.Progressed(P0, 11_001));
    }

    [Fact]
    public void Caught_up_partitions_restart_their_clock_and_revoked_ones_are_forgotten()
    {
        var w = new StallWatchdog(TimeSpan.FromSeconds(10));
        w.Assigned(new[] { P0, P1 }, now: 0);
        w.Healing(new[] { P1 }, 0);
        w.CaughtUp(P0, 10_000);
        w.Assigned(new[] { P0 }, 10_000);
        Assert.Empty(w.Stalled);
        Assert.Empty(w.Due(19_999));
        Assert.Equal(new[] { P0 }, w.Due(22_499));
    }

    [Fact]
    public void A_zero_timeout_turns_the_watchdog_off()
    {
        var w = new StallWatchdog(TimeSpan.Zero);
        w.Assigned(new[] { P0 }, now: 0);
        Assert.False(w.Enabled);
        Assert.Empty(w.Due(long.MaxValue / 2));
    }
}
