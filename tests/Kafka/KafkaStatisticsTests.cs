using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using TrafficActors.Kafka;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Kafka;

/// <summary>
/// librdkafka's statistics reach the sink of a real consumer and producer on the embedded cluster, and parse into
/// the figures the node exports: broker round trips, the producer's sent messages, the consumer's assigned
/// partitions and their lag.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
[Collection(KafkaCollection.Name)]
public sealed class KafkaStatisticsTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly KafkaClusterFixture _kafka;

    public KafkaStatisticsTests(KafkaClusterFixture kafka, ITestOutputHelper output)
        : base("akka.loglevel = INFO", output: output) => _kafka = kafka;

    [Fact]
    public async Task The_producer_and_the_consumer_report_brokers_partitions_and_lag()
    {
        const int partitions = 3, count = 300;
        var topic = _kafka.NewTopic(partitions);
        var producerStats = new KafkaStatisticsSink();
        // Every report too: a round trip shows only in the report of the interval its request completed in.
        var reports = new ConcurrentQueue<string>();
        void Received(string json)
        {
            reports.Enqueue(json);
            producerStats.Receive(json);
        }

        using (var producer = KafkaProducer.CreateProducer(ProducerSettings.Create(_kafka.BootstrapServers).WithStatistics(Interval, Received)))
        {
            for (var i = 0; i < count; i++)
                producer.Produce(new TopicPartition(topic, i % partitions), new Message<byte[]?, byte[]?> { Value = [(byte)i] });
            producer.Flush(TimeSpan.FromSeconds(10));
            await Poll.Until(
                () => producerStats.Latest?.Partitions.Where(p => p.Topic == topic).Sum(p => p.TransmittedMessages) == count,
                KafkaTestData.Timeout, () => $"a producer report counting {count} sent messages, last {producerStats.Latest}");
        }

        var produced = producerStats.Latest!;
        Assert.Equal("producer", produced.Type);
        Assert.Equal(3, produced.Brokers.Count);
        Assert.All(produced.Brokers, b => Assert.Matches(@"^127\.0\.0\.1:\d+/\d+$", b.Name));
        Assert.Contains(
            reports.Select(KafkaStatistics.Parse).SelectMany(r => r!.Brokers),
            b => b.RoundTripAverage > TimeSpan.Zero && b.RoundTripP99 >= b.RoundTripAverage);
        Assert.Equal(Enumerable.Range(0, partitions), produced.Partitions.Where(p => p.Topic == topic).Select(p => p.Partition).Order());
        Assert.All(produced.Partitions, p => Assert.False(p.Assigned));

        // Only the first half of each partition is processed, so half of it is committed and half stays lag.
        const int processed = count / partitions / 2;
        var consumerStats = new KafkaStatisticsSink();
        var settings = _kafka.ConsumerSettings("g-" + Guid.NewGuid().ToString("N")).WithStatistics(Interval, consumerStats.Receive);
        var control = KafkaConsumer.CommittableSource(settings, [topic])
            .To(Sink.ForEach<CommittableMessage>(m =>
            {
                if (m.Record.Offset.Value < processed) m.Offset.MarkProcessed();
            }))
            .Run(Sys.Materializer());
        try
        {
            await Poll.Until(
                () => consumerStats.Latest is { } s
                    && s.Partitions.Where(p => p.Topic == topic && p.Assigned).Sum(p => p.ConsumerLag ?? 0) == count - (processed * partitions)
                    && s.Partitions.Where(p => p.Topic == topic).Sum(p => p.ReceivedMessages) == count,
                KafkaTestData.Timeout,
                () => $"a consumer report with the lag of what was not processed, last {string.Join("; ", consumerStats.Latest?.Partitions ?? [])}");
        }
        finally
        {
            await control.DrainAndShutdown(TimeSpan.FromSeconds(10));
        }

        var consumed = consumerStats.Latest!;
        Assert.Equal("consumer", consumed.Type);
        Assert.StartsWith(settings.ClientId, consumed.Name, StringComparison.Ordinal);
        Assert.All(consumed.Partitions.Where(p => p.Topic == topic), p => Assert.Equal((true, (long?)((count / partitions) - processed)), (p.Assigned, p.ConsumerLag)));
    }

    [Fact]
    public void Statistics_stay_off_unless_asked_for()
    {
        Assert.Equal(0, ConsumerSettings.Create("x:1", "g").ToConsumerConfig().StatisticsIntervalMs);
        Assert.Equal(0, ProducerSettings.Create("x:1").ToProducerConfig().StatisticsIntervalMs);
        Assert.Equal(5000, ConsumerSettings.Create("x:1", "g").WithStatistics(TimeSpan.FromSeconds(5), _ => { }).ToConsumerConfig().StatisticsIntervalMs);
        var config = Akka.Configuration.ConfigurationFactory.ParseString("bootstrap-servers = \"x:1\"\nstatistics-interval = 2s");
        Assert.Equal(2000, ProducerSettings.FromConfig(config).ToProducerConfig().StatisticsIntervalMs);

        var negative = Akka.Configuration.ConfigurationFactory.ParseString("bootstrap-servers = \"x:1\"\ngroup-id = g\nstatistics-interval = -1s");
        var error = Assert.Throws<Akka.Configuration.ConfigurationException>(() => ConsumerSettings.FromConfig(negative));
        Assert.Contains("statistics-interval", error.Message, StringComparison.Ordinal);
    }
}
