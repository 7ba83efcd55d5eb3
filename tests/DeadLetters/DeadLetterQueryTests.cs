using TrafficActors.DeadLetters;
using Xunit;

namespace TrafficActors.Tests.DeadLetters;

/// <summary>What `traffic dlq show --last N --reason text` selects, and the command-line values it refuses.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class DeadLetterQueryTests
{
    [Fact]
    public void Without_last_the_configured_default_is_used()
    {
        var query = DeadLetterQuery.Create(null, null, defaultLast: 20, maxLast: 10000);
        Assert.Equal(20, query.Last);
        Assert.Null(query.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(10001)]
    public void Last_outside_its_bounds_is_refused_with_the_bounds_named(int last)
    {
        var ex = Assert.Throws<ArgumentException>(() => DeadLetterQuery.Create(last, null, 20, 10000));
        Assert.Equal($"--last must be within 1..10000, not {last}", ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10000)]
    public void The_bounds_themselves_are_accepted(int last) =>
        Assert.Equal(last, DeadLetterQuery.Create(last, null, 20, 10000).Last);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_reason_filter_is_refused(string reason) =>
        Assert.Equal("--reason must not be empty", Assert.Throws<ArgumentException>(() => DeadLetterQuery.Create(5, reason, 20, 10000)).Message);

    [Theory]
    [InlineData("gear out of range: 9 not in 1..7", true)]
    [InlineData("GEAR OUT OF RANGE", true)]
    [InlineData("speed out of range: -5 not in 0..400", false)]
    [InlineData(null, false)]
    public void The_reason_filter_is_a_case_insensitive_substring(string? reason, bool matches) =>
        Assert.Equal(matches, new DeadLetterQuery(5, "Gear Out").Matches(reason));

    [Fact]
    public void Without_a_filter_every_record_matches_even_one_without_a_reason()
    {
        var query = new DeadLetterQuery(5, null);
        Assert.True(query.Matches(null));
        Assert.True(query.Matches("anything"));
    }

    [Theory]
    // low, high, expected start: the newest 5 of each partition, never before the partition's first offset.
    [InlineData(0, 100, 95)]
    [InlineData(0, 3, 0)]
    [InlineData(40, 42, 40)]
    [InlineData(7, 7, 7)]
    public void Unfiltered_each_partition_is_read_from_its_newest_last_records(long low, long high, long start) =>
        Assert.Equal(start, new DeadLetterQuery(5, null).StartOffset(low, high, scanDepth: 1000));

    [Theory]
    [InlineData(0, 5000, 4000)]
    [InlineData(0, 500, 0)]
    [InlineData(4500, 5000, 4500)]
    public void Filtered_each_partition_is_searched_through_the_scan_depth(long low, long high, long start) =>
        Assert.Equal(start, new DeadLetterQuery(5, "speed").StartOffset(low, high, scanDepth: 1000));

    [Fact]
    public void Filtered_a_scan_depth_below_last_still_reads_last_records() =>
        Assert.Equal(50, new DeadLetterQuery(50, "speed").StartOffset(0, 100, scanDepth: 10));
}
