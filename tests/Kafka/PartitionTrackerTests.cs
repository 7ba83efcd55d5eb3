using Confluent.Kafka;
using TrafficActors.Kafka;
using Xunit;

namespace TrafficActors.Tests.Kafka;

/// <summary>Per-partition bookkeeping of the committable source, without a broker.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class PartitionTrackerTests
{
    private static PartitionTracker Tracker() => new(new TopicPartition("t", 0));

    [Fact]
    public void Records_the_client_returns_again_from_an_earlier_position_are_not_accepted_twice()
    {
        var tracker = Tracker();
        Assert.True(tracker.Accept(5));
        Assert.True(tracker.Accept(6));
        // A rewind to the committed offset (or 0): what was already taken is refused, the rest goes on in order.
        Assert.False(tracker.Accept(0));
        Assert.False(tracker.Accept(6));
        Assert.True(tracker.Accept(7));
        // Gaps (compaction, transaction markers) are fine.
        Assert.True(tracker.Accept(10));
    }

    [Fact]
    public void Only_the_contiguous_processed_prefix_becomes_storable()
    {
        var tracker = Tracker();
        foreach (var o in new long[] { 0, 1, 2 }) Assert.True(tracker.Emit(o));
        tracker.MarkProcessed(1);
        Assert.False(tracker.TryTakeStorable(out _));
        tracker.MarkProcessed(0);
        Assert.True(tracker.TryTakeStorable(out var offset));
        Assert.Equal(2, offset);
        tracker.Revoke();
        Assert.False(tracker.Emit(3));
        Assert.False(tracker.MarkProcessed(2));
    }
}
