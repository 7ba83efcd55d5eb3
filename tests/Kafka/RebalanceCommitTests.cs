using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using TrafficActors.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Kafka;

/// <summary>
/// Commits around rebalances and stream restarts, the classes of connector bugs where an offset is lost or a commit
/// refused by a rebalancing group takes the stream down.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
[Collection(KafkaCollection.Name)]
public sealed class RebalanceCommitTests : Akka.TestKit.Xunit2.TestKit
{
    private const int Partitions = 12;

    private readonly KafkaClusterFixture _kafka;
    private readonly ITestOutputHelper _output;

    public RebalanceCommitTests(KafkaClusterFixture kafka, ITestOutputHelper output)
        : base("akka.loglevel = INFO", output: output)
    {
        _kafka = kafka;
        _output = output;
    }

    [Fact]
    public async Task Commits_while_members_join_and_leave_neither_fail_the_stream_nor_lose_an_offset()
    {
        const int perPartition = 60;
        var topic = _kafka.NewTopic(Partitions);
        var group = "g-" + Guid.NewGuid().ToString("N");
        await KafkaTestData.ProducePerPartition(_kafka.BootstrapServers, topic, Partitions, perPartition);
        var received = new ConcurrentDictionary<TopicPartitionOffset, int>();

        // a marks messages processed all along (commit interval 200 ms), so its commits meet both rebalances.
        var a = KafkaConsumer.CommittableSource(Settings(group, "a"), new[] { topic })
            .Throttle(150, TimeSpan.FromSeconds(1), 10, ThrottleMode.Shaping)
            .To(Sink.ForEach<CommittableMessage>(m => Processed(received, m)))
            .Run(Sys.Materializer());
        await KafkaTestData.Eventually(() => received.Count > 50, KafkaTestData.Timeout, () => $"a {a.Metrics}");
        var b = KafkaConsumer.CommittableSource(Settings(group, "b"), new[] { topic })
            .Throttle(150, TimeSpan.FromSeconds(1), 10, ThrottleMode.Shaping)
            .To(Sink.ForEach<CommittableMessage>(m => Processed(received, m)))
            .Run(Sys.Materializer());
        await KafkaTestData.Eventually(() => b.Assignment.Count > 0 && a.Assignment.Count + b.Assignment.Count == Partitions,
            KafkaTestData.Timeout, () => $"a {a.Metrics}; b {b.Metrics}");
        await b.DrainAndShutdown(TimeSpan.FromSeconds(5));
        await KafkaTestData.Eventually(() => a.Assignment.Count == Partitions, KafkaTestData.Timeout, () => $"a {a.Metrics}");

        await KafkaTestData.Eventually(() => received.Count == Partitions * perPartition, TimeSpan.FromSeconds(30),
            () => $"{received.Count} received; a {a.Metrics}");
        var end = KafkaTestData.EndOffsets(_kafka.BootstrapServers, topic, Partitions);
        await KafkaTestData.Eventually(
            () => KafkaTestData.Committed(_kafka.BootstrapServers, group, topic, Partitions).SequenceEqual(end),
            KafkaTestData.Timeout,
            () => $"committed [{string.Join(",", KafkaTestData.Committed(_kafka.BootstrapServers, group, topic, Partitions))}] of [{string.Join(",", end)}]");
        Assert.False(a.Stopped.IsCompleted, $"the stream ended: {a.Stopped.Exception?.GetBaseException().Message}");
        _output.WriteLine($"a {a.Metrics}; b {b.Metrics}; duplicates {received.Values.Sum() - received.Count}");
        await a.DrainAndShutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task After_a_stream_restart_the_new_consumer_commits_where_the_old_one_stopped()
    {
        const int perPartition = 30;
        var topic = _kafka.NewTopic(Partitions);
        var group = "g-" + Guid.NewGuid().ToString("N");
        await KafkaTestData.ProducePerPartition(_kafka.BootstrapServers, topic, Partitions, perPartition);
        var received = new ConcurrentDictionary<TopicPartitionOffset, int>();
        var controls = new ConcurrentQueue<IConsumerControl>();
        var failAt = Partitions * perPartition / 2;
        var seen = 0;

        _ = RestartSource.OnFailuresWithBackoff(
                () => KafkaConsumer.CommittableSource(Settings(group, "r"), new[] { topic })
                    .MapMaterializedValue(c =>
                    {
                        controls.Enqueue(c);
                        return c;
                    })
                    .Select(m =>
                    {
                        if (Interlocked.Increment(ref seen) == failAt) throw new InvalidOperationException("stream failure");
                        Processed(received, m);
                        return m;
                    }),
                RestartSettings.Create(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), 0))
            .RunWith(Sink.Ignore<CommittableMessage>(), Sys.Materializer());

        await KafkaTestData.Eventually(() => received.Count == Partitions * perPartition, TimeSpan.FromSeconds(30),
            () => $"{received.Count} received over {controls.Count} consumers");
        Assert.Equal(2, controls.Count);
        var end = KafkaTestData.EndOffsets(_kafka.BootstrapServers, topic, Partitions);
        await KafkaTestData.Eventually(
            () => KafkaTestData.Committed(_kafka.BootstrapServers, group, topic, Partitions).SequenceEqual(end),
            KafkaTestData.Timeout,
            () => $"committed [{string.Join(",", KafkaTestData.Committed(_kafka.BootstrapServers, group, topic, Partitions))}] of [{string.Join(",", end)}]");
        var restarted = controls.Last();
        Assert.True(restarted.Metrics.Processed > 0, "the restarted consumer processed nothing");
        await restarted.DrainAndShutdown(TimeSpan.FromSeconds(5));
    }

    private static void Processed(ConcurrentDictionary<TopicPartitionOffset, int> received, CommittableMessage m)
    {
        received.AddOrUpdate(m.Record.TopicPartitionOffset, 1, (_, n) => n + 1);
        m.Offset.MarkProcessed();
    }

    private ConsumerSettings Settings(string group, string clientId) => _kafka.MemberSettings(group, clientId);
}
