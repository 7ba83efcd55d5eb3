using TrafficActors.DeadLetters;
using Xunit;

namespace TrafficActors.Tests.DeadLetters;

/// <summary>The bounded collector behind `--last N`: the newest N over all partitions, whatever order they are read in.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class NewestDeadLettersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static DeadLetter At(int partition, long offset, int second) =>
        new(partition, offset, T0.AddSeconds(second), null, [], 0, "r");

    [Fact]
    public void Keeps_the_newest_over_all_partitions_oldest_first()
    {
        var newest = new NewestDeadLetters(3);
        // Partitions are read one after another; times interleave across them.
        foreach (var d in new[] { At(0, 0, 1), At(0, 1, 5), At(0, 2, 9), At(1, 0, 2), At(1, 1, 7), At(2, 0, 8), At(2, 1, 3) })
            newest.Add(d);

        var kept = newest.OldestFirst();
        Assert.Equal([(1, 1L), (2, 0L), (0, 2L)], kept.Select(d => (d.Partition, d.Offset)));
        Assert.Equal(7, newest.Offered);
    }

    [Fact]
    public void Equal_times_are_ordered_by_partition_then_offset()
    {
        var newest = new NewestDeadLetters(2);
        foreach (var d in new[] { At(1, 4, 1), At(0, 9, 1), At(1, 3, 1) }) newest.Add(d);
        Assert.Equal([(1, 3L), (1, 4L)], newest.OldestFirst().Select(d => (d.Partition, d.Offset)));
    }

    [Fact]
    public void A_record_without_a_timestamp_counts_as_oldest()
    {
        var newest = new NewestDeadLetters(1);
        newest.Add(At(0, 0, 1));
        newest.Add(new DeadLetter(0, 1, null, null, [], 0, "r"));
        Assert.Equal(0, Assert.Single(newest.OldestFirst()).Offset);
    }

    [Fact]
    public void Fewer_records_than_capacity_are_all_kept()
    {
        var newest = new NewestDeadLetters(10);
        newest.Add(At(0, 0, 2));
        newest.Add(At(1, 0, 1));
        Assert.Equal([1, 0], newest.OldestFirst().Select(d => d.Partition));
    }

    [Fact]
    public void A_capacity_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NewestDeadLetters(0));
}
