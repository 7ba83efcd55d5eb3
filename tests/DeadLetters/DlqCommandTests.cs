using Confluent.Kafka;
using TrafficActors.DeadLetters;
using TrafficActors.Host.Commands;
using TrafficActors.Host.DeadLetters;
using TrafficActors.Kafka;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.DeadLetters;

/// <summary>The exit codes of the dlq verbs' Kafka failures and the summary line of `traffic dlq show`.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class DlqCommandTests
{
    private static readonly DlqSettings Dlq = DlqSettings.FromConfig(ShippedConfig.Load(new Dictionary<string, string>()));

    [Theory]
    [InlineData(ErrorCode.Local_Transport, ExitCodes.Unreachable)]
    [InlineData(ErrorCode.Local_TimedOut, ExitCodes.Unreachable)]
    [InlineData(ErrorCode.Local_AllBrokersDown, ExitCodes.Unreachable)]
    [InlineData(ErrorCode.Local_Resolve, ExitCodes.Unreachable)]
    [InlineData(ErrorCode.UnknownTopicOrPart, ExitCodes.Kafka)]
    [InlineData(ErrorCode.TopicAuthorizationFailed, ExitCodes.Kafka)]
    public void No_answer_from_kafka_is_3_and_a_failed_request_is_6(ErrorCode error, int code) =>
        Assert.Equal(code, DlqCommand.ExitCode(new KafkaException(error)));

    [Fact]
    public void A_read_cut_short_is_3_and_a_refused_setting_is_6()
    {
        Assert.Equal(ExitCodes.Unreachable, DlqCommand.ExitCode(new TimeoutException("slow")));
        Assert.Equal(ExitCodes.Kafka, DlqCommand.ExitCode(new KafkaClientConfigException("refused")));
    }

    private static DeadLetter Letter(int offset) => new(0, offset, DateTimeOffset.UnixEpoch, null, [], 0, "speed out of range");

    [Fact]
    public void An_empty_topic_says_there_are_no_dead_letters() =>
        Assert.Equal(
            "no dead letters: raw-data-dlq holds 0 records in 3 partitions",
            DlqCommand.Summary(new DeadLetterListing([], 0, 0, 0, 3), new DeadLetterQuery(20, null), "raw-data-dlq", Dlq));

    [Fact]
    public void The_summary_says_how_many_were_shown_of_what_the_topic_holds() =>
        Assert.Equal(
            "2 dead letters shown, newest last; raw-data-dlq holds 57 records in 3 partitions",
            DlqCommand.Summary(new DeadLetterListing([Letter(1), Letter(2)], 57, 6, 57, 3), new DeadLetterQuery(2, null), "raw-data-dlq", Dlq));

    [Fact]
    public void A_filtered_summary_names_the_filter_the_matches_and_how_far_it_searched()
    {
        Assert.Equal(
            "2 of 9 dead letters with reason containing \"speed\" shown, newest last (searched the newest 57 records, at most 100000 per partition); raw-data-dlq holds 57 records in 3 partitions",
            DlqCommand.Summary(new DeadLetterListing([Letter(1), Letter(2)], 9, 57, 57, 3), new DeadLetterQuery(2, "speed"), "raw-data-dlq", Dlq));
        Assert.StartsWith(
            "no dead letters with reason containing \"gear\" (searched the newest 57 records",
            DlqCommand.Summary(new DeadLetterListing([], 0, 57, 57, 3), new DeadLetterQuery(2, "gear"), "raw-data-dlq", Dlq),
            StringComparison.Ordinal);
    }
}
