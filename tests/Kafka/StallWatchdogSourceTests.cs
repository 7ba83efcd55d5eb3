using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using TrafficActors.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Kafka;

/// <summary>
/// The source's progress watchdog against the embedded broker: a partition paused behind the source's back (as
/// librdkafka can leave one after a dropped resume) is found, healed once, and a second stall fails the source.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
[Collection(KafkaCollection.Name)]
public sealed class StallWatchdogSourceTests : Akka.TestKit.Xunit2.TestKit
{
    private const int Partitions = 3;
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(1);

    private readonly KafkaClusterFixture _kafka;
    private readonly ITestOutputHelper _output;

    public StallWatchdogSourceTests(KafkaClusterFixture kafka, ITestOutputHelper output)
        : base("akka.loglevel = INFO", output: output)
    {
        _kafka = kafka;
        _output = output;
    }

    [Fact]
    public async Task A_partition_paused_behind_the_sources_back_is_found_resumed_and_delivers_the_rest()
    {
        var (topic, received, detected, control) = await Flowing();
        var stalled = new TopicPartition(topic, new Partition(0));
        Runner(control).OnPollThread(c => c.Pause(new[] { stalled }));
        await KafkaTestData.ProducePerPartition(_kafka.BootstrapServers, topic, Partitions, 10);

        // Undetected, partition 0's second batch would never come; with the watchdog it comes once the partition
        // was silent for the stall timeout.
        await KafkaTestData.Eventually(() => received.Count == Partitions * 20, TimeSpan.FromSeconds(15),
            () => $"{received.Count} received; {control.Metrics}");
        Assert.Equal(1, control.Metrics.Stalls);
        Assert.Equal(new[] { stalled }, detected.Single());
        await KafkaTestData.Eventually(() => control.Metrics.Stalled.Count == 0, KafkaTestData.Timeout, () => $"{control.Metrics}");
        Assert.False(control.Stopped.IsCompleted, "a healed stall must not end the source");
        foreach (var byPartition in received.GroupBy(tpo => tpo.Partition.Value))
        {
            Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), byPartition.Select(tpo => tpo.Offset.Value));
        }

        await control.DrainAndShutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_second_stall_on_the_same_consumer_fails_the_source_so_it_restarts_fresh()
    {
        var (topic, received, detected, control) = await Flowing();
        var stalled = new TopicPartition(topic, new Partition(1));
        Runner(control).OnPollThread(c => c.Pause(new[] { stalled }));
        await KafkaTestData.ProducePerPartition(_kafka.BootstrapServers, topic, Partitions, 10);
        await KafkaTestData.Eventually(() => received.Count == Partitions * 20, TimeSpan.FromSeconds(15),
            () => $"{received.Count} received; {control.Metrics}");

        Runner(control).OnPollThread(c => c.Pause(new[] { stalled }));
        await KafkaTestData.ProducePerPartition(_kafka.BootstrapServers, topic, Partitions, 10);
        var failure = await Assert.ThrowsAsync<KafkaException>(() => control.Stopped.WaitAsync(TimeSpan.FromSeconds(15)));
        _output.WriteLine(failure.Message);
        Assert.Contains("stalled again", failure.Message);
        Assert.Contains(stalled.ToString(), failure.Message);
        Assert.Equal(2, detected.Count);
    }

    [Fact]
    public async Task Partitions_that_are_caught_up_are_quiet_not_stalled()
    {
        var (_, received, detected, control) = await Flowing();
        // The gap under test: four stall timeouts with nothing left to read, none of which may count as a stall.
        await Task.Delay(StallTimeout * 4);
        Assert.Equal(0, control.Metrics.Stalls);
        Assert.Empty(detected);
        Assert.Equal(Partitions * 10, received.Count);
        await control.DrainAndShutdown(TimeSpan.FromSeconds(5));
    }

    private static ConsumerRunner Runner(IConsumerControl control) => (ConsumerRunner)control;

    /// <summary>A source with a short stall timeout that has delivered a first batch of 10 per partition.</summary>
    private async Task<(string Topic, ConcurrentQueue<TopicPartitionOffset> Received, ConcurrentQueue<TopicPartition[]> Detected, IConsumerControl Control)> Flowing()
    {
        var topic = _kafka.NewTopic(Partitions);
        await KafkaTestData.ProducePerPartition(_kafka.BootstrapServers, topic, Partitions, 10);
        var received = new ConcurrentQueue<TopicPartitionOffset>();
        var detected = new ConcurrentQueue<TopicPartition[]>();
        var settings = _kafka.ConsumerSettings("g-" + Guid.NewGuid().ToString("N"))
            .WithStallTimeout(StallTimeout) with { StallDetected = p => detected.Enqueue(p.ToArray()) };
        var control = KafkaConsumer.CommittableSource(settings, new[] { topic })
            .To(Sink.ForEach<CommittableMessage>(m =>
            {
                received.Enqueue(m.Record.TopicPartitionOffset);
                m.Offset.MarkProcessed();
            }))
            .Run(Sys.Materializer());
        await KafkaTestData.Eventually(() => received.Count == Partitions * 10, KafkaTestData.Timeout,
            () => $"{received.Count} received; {control.Metrics}");
        return (topic, received, detected, control);
    }
}
