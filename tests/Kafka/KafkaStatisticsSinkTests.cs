using TrafficActors.Kafka;
using Xunit;

namespace TrafficActors.Tests.Kafka;

/// <summary>What the sink and parser make of reports that are not librdkafka statistics, or only partly.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class KafkaStatisticsSinkTests
{
    // The shape of a librdkafka consumer report, cut to what the parser reads plus a bootstrap and a logical broker
    // and the unassigned-partition placeholder, which it must leave out.
    private const string Report = """
        {"name":"c#consumer-1","client_id":"c","type":"consumer","replyq":2,"msg_cnt":0,"msg_size":0,
         "brokers":{
           "127.0.0.1:9092/bootstrap":{"name":"127.0.0.1:9092/bootstrap","nodeid":-1,"source":"configured","state":"UP"},
           "GroupCoordinator":{"name":"GroupCoordinator","nodeid":1,"source":"logical","state":"UP"},
           "127.0.0.1:9092/1":{"name":"127.0.0.1:9092/1","nodeid":1,"source":"learned","state":"UP","outbuf_cnt":1,"waitresp_cnt":2,
             "rtt":{"min":100,"max":900,"avg":250,"p99":800,"cnt":12}},
           "127.0.0.1:9093/2":{"name":"127.0.0.1:9093/2","nodeid":2,"source":"learned","state":"CONNECT","rtt":{"avg":0,"p99":0,"cnt":0}}},
         "topics":{"raw-data":{"topic":"raw-data","partitions":{
           "0":{"partition":0,"desired":true,"consumer_lag":7,"fetchq_cnt":3,"msgq_cnt":0,"rxmsgs":40,"txmsgs":0},
           "1":{"partition":1,"desired":false,"consumer_lag":-1,"fetchq_cnt":0,"rxmsgs":0},
           "-1":{"partition":-1,"desired":false,"consumer_lag":-1}}}}}
        """;

    [Fact]
    public void A_report_parses_into_its_brokers_and_partitions()
    {
        var s = KafkaStatistics.Parse(Report)!;

        Assert.Equal(("c#consumer-1", "c", "consumer", 2L), (s.Name, s.ClientId, s.Type, s.ReplyQueue));
        Assert.Equal(["127.0.0.1:9092/1", "127.0.0.1:9093/2"], s.Brokers.Select(b => b.Name));
        var up = s.Brokers[0];
        Assert.Equal((1, "UP", 1L, 2L), (up.NodeId, up.State, up.WaitingRequests, up.InFlightRequests));
        Assert.Equal(TimeSpan.FromMicroseconds(250), up.RoundTripAverage);
        Assert.Equal(TimeSpan.FromMicroseconds(800), up.RoundTripP99);
        Assert.Null(s.Brokers[1].RoundTripAverage);
        Assert.Equal(new PartitionStatistics("raw-data", 0, true, 7, 0, 3, 0, 40), s.Partitions[0]);
        Assert.Equal(new PartitionStatistics("raw-data", 1, false, null, 0, 0, 0, 0), s.Partitions[1]);
        Assert.Equal(2, s.Partitions.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"name":"x"}""")]
    [InlineData("""{"type":"consumer","brokers":""")]
    public void Text_that_is_not_a_report_parses_to_nothing(string text) => Assert.Null(KafkaStatistics.Parse(text));

    [Fact]
    public void Missing_or_oddly_typed_fields_read_as_empty()
    {
        var s = KafkaStatistics.Parse("""{"type":"producer","replyq":"many","brokers":[],"topics":{"t":{"partitions":{"0":{"partition":0,"txmsgs":1.5e3}}}}}""")!;
        Assert.Equal(0, s.ReplyQueue);
        Assert.Empty(s.Brokers);
        Assert.Equal(1500, Assert.Single(s.Partitions).TransmittedMessages);
    }

    [Fact]
    public void The_sink_parses_each_report_once_and_keeps_the_last_good_one_over_a_bad_one()
    {
        var sink = new KafkaStatisticsSink();
        Assert.Null(sink.Latest);

        sink.Receive(Report);
        var first = sink.Latest;
        Assert.NotNull(first);
        Assert.Same(first, sink.Latest);

        sink.Receive("{ truncated");
        Assert.Same(first, sink.Latest);

        sink.Receive(Report.Replace("\"replyq\":2", "\"replyq\":5", StringComparison.Ordinal));
        Assert.Equal(5, sink.Latest!.ReplyQueue);
    }
}
