using Xunit;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using TrafficActors.Kafka;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Kafka;

[Collection(KafkaCollection.Name)]
public sealed class KafkaProducerTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly KafkaClusterFixture _kafka;

    public KafkaProducerTests(KafkaClusterFixture kafka, ITestOutputHelper output)
        : base("akka.loglevel = INFO", output: output) => _kafka = kafka;

    [Fact]
    public async Task FlexiFlow_emits_results_in_order_after_every_message_is_acknowledged()
    {
        var topic = _kafka.NewTopic(12);
        var settings = new ProducerSettings(_kafka.BootstrapServers).WithParallelism(32);
        var envelopes = Enumerable.Range(0, 400).Select(i => new ProducerEnvelope<int>(
            topic,
            Enumerable.Range(0, i % 4).Select(j => new Message<byte[]?, byte[]?>
            {
                Key = KafkaTestData.Bytes($"k{i}"),
                Value = KafkaTestData.Bytes($"{i}.{j}"),
            }),
            i));

        var results = await Source.From(envelopes)
            .Via(KafkaProducer.FlexiFlow<int>(settings))
            .RunWith(Sink.Seq<ProducerResult<int>>(), Sys.Materializer());

        Assert.Equal(Enumerable.Range(0, 400), results.Select(r => r.PassThrough));
        Assert.All(results, r =>
        {
            Assert.Equal(r.PassThrough % 4, r.Deliveries.Count);
            Assert.All(r.Deliveries, d =>
            {
                Assert.Equal(PersistenceStatus.Persisted, d.Status);
                Assert.True(d.Offset.Value >= 0);
            });
        });
        var total = results.Sum(r => r.Deliveries.Count);
        var read = KafkaTestData.ReadAll(_kafka.BootstrapServers, topic, 12, total);
        Assert.Equal(
            results.SelectMany(r => r.Deliveries).Select(d => KafkaTestData.Text(d.Message.Value)).OrderBy(s => s),
            read.Select(r => KafkaTestData.Text(r.Message.Value)).OrderBy(s => s));
    }

    [Fact]
    public async Task PlainSink_completes_after_all_records_landed_and_a_shared_producer_stays_usable()
    {
        var topic = _kafka.NewTopic(12);
        var settings = ProducerSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString($$"""
            bootstrap-servers = "{{_kafka.BootstrapServers}}"
            linger = 2ms
            acks = all
            properties { "compression.type" = lz4 }
            """));
        Assert.True(settings.EnableIdempotence);
        Assert.Equal("lz4", settings.Properties["compression.type"]);

        using var shared = KafkaProducer.CreateProducer(settings);
        await Source.From(Enumerable.Range(0, 500))
            .Select(i => new ProducerRecord(topic, KafkaTestData.Bytes($"k{i}"), KafkaTestData.Bytes(i.ToString())))
            .RunWith(KafkaProducer.PlainSink(settings, shared), Sys.Materializer());

        Assert.Equal(500, KafkaTestData.EndOffsets(_kafka.BootstrapServers, topic, 12).Sum());
        var again = await shared.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = KafkaTestData.Bytes("after") });
        Assert.Equal(PersistenceStatus.Persisted, again.Status);
    }

    [Fact]
    public async Task A_failed_delivery_fails_the_stream()
    {
        var topic = _kafka.NewTopic(1);
        var settings = new ProducerSettings(_kafka.BootstrapServers).WithProperty("message.max.bytes", "2000");
        var task = Source.Single(new ProducerEnvelope<NotUsed>(
                topic, new Message<byte[]?, byte[]?> { Value = new byte[10_000] }, NotUsed.Instance))
            .Via(KafkaProducer.FlexiFlow<NotUsed>(settings))
            .RunWith(Sink.Ignore<ProducerResult<NotUsed>>(), Sys.Materializer());

        var error = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() => task.WaitAsync(KafkaTestData.Timeout));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, error.Error.Code);
    }
}
