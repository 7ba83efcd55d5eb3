using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using TrafficActors.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Kafka;

/// <summary>
/// A member whose stream is slower than Kafka pauses every partition; a rebalance then revokes and re-assigns
/// them while librdkafka keeps its pause flag on each. These tests hold a member's stream still until it reports
/// itself paused with all its partitions, rebalance the group, then let the stream pull: every message must arrive.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
[Collection(KafkaCollection.Name)]
public sealed class RebalanceWhilePausedTests : Akka.TestKit.Xunit2.TestKit
{
    private const int Partitions = 12;
    private const int PerPartition = 40;
    private const int Buffer = 8;

    // Generous against a rebalance (about session.timeout − 1 s on the embedded broker) plus the fetches after
    // it; a stalled partition never arrives at all, so the bound only decides how long a failure takes to show.
    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(20);

    private readonly KafkaClusterFixture _kafka;
    private readonly ITestOutputHelper _output;

    public RebalanceWhilePausedTests(KafkaClusterFixture kafka, ITestOutputHelper output)
        : base("akka.loglevel = INFO", output: output)
    {
        _kafka = kafka;
        _output = output;
    }

    [Fact]
    public async Task A_paused_member_that_gets_its_partitions_back_after_a_join_delivers_all_of_them()
    {
        var (topic, group) = await Backlog();
        var received = new ConcurrentDictionary<TopicPartitionOffset, int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = Member(topic, group, "a", received, gate.Task);
        await PausedWithAll(a, Partitions);

        var b = Member(topic, group, "b", received, Task.CompletedTask);
        await Rebalanced(a, b);
        gate.SetResult();

        await EveryMessage(topic, received, () => $"a {a.Metrics}; b {b.Metrics}");
        await ShutDown(a, b);
    }

    [Fact]
    public async Task A_paused_member_that_takes_over_a_leaving_members_partitions_delivers_all_of_them()
    {
        var (topic, group) = await Backlog();
        var received = new ConcurrentDictionary<TopicPartitionOffset, int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = Member(topic, group, "a", received, gate.Task);
        await KafkaTestData.Eventually(() => a.Assignment.Count == Partitions, KafkaTestData.Timeout, () => $"a {a.Metrics}");
        var bGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var b = Member(topic, group, "b", received, bGate.Task);
        await Rebalanced(a, b);
        await PausedWithAll(a, a.Assignment.Count);

        // b leaves without processing anything: a gets b's partitions and its own back, still paused.
        await b.Shutdown();
        await KafkaTestData.Eventually(() => a.Assignment.Count == Partitions && a.Metrics.PartitionsRevoked > 0,
            KafkaTestData.Timeout, () => $"a {a.Metrics}");
        gate.SetResult();
        bGate.SetResult();

        await EveryMessage(topic, received, () => $"a {a.Metrics}");
        await a.DrainAndShutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_paused_member_rebalanced_by_another_members_stream_restart_delivers_all_of_them()
    {
        var (topic, group) = await Backlog();
        var received = new ConcurrentDictionary<TopicPartitionOffset, int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = Member(topic, group, "a", received, gate.Task);
        await PausedWithAll(a, Partitions);

        // b's stream fails once after its first message and restarts with a fresh consumer, as the ingest stream
        // does: its leave and second join are two more rebalances for the paused a.
        IConsumerControl? current = null;
        var failures = 0;
        var restarting = RestartSource.OnFailuresWithBackoff(
                () => KafkaConsumer.CommittableSource(Settings(group, "b"), new[] { topic })
                    .MapMaterializedValue(c => current = c)
                    .Select(m =>
                    {
                        if (Interlocked.CompareExchange(ref failures, 1, 0) == 0) throw new InvalidOperationException("stream failure");
                        received.AddOrUpdate(m.Record.TopicPartitionOffset, 1, (_, n) => n + 1);
                        m.Offset.MarkProcessed();
                        return m;
                    }),
                RestartSettings.Create(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), 0))
            .ToMaterialized(Sink.Ignore<CommittableMessage>(), Keep.Left)
            .Run(Sys.Materializer());
        await KafkaTestData.Eventually(
            () => Volatile.Read(ref failures) == 1 && current is { } b && b.Assignment.Count > 0 && a.Metrics.PartitionsRevoked > 0
                  && a.Assignment.Count + b.Assignment.Count == Partitions,
            KafkaTestData.Timeout, () => $"a {a.Metrics}; b {current?.Metrics}");
        gate.SetResult();

        await EveryMessage(topic, received, () => $"a {a.Metrics}; b {current?.Metrics}");
        await a.DrainAndShutdown(TimeSpan.FromSeconds(5));
        await current!.DrainAndShutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Messages_buffered_for_a_revoked_partition_are_not_handed_downstream()
    {
        var (topic, group) = await Backlog();
        var received = new ConcurrentDictionary<TopicPartitionOffset, int>();
        var afterGate = new ConcurrentQueue<TopicPartition>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = KafkaConsumer.CommittableSource(Settings(group, "a"), new[] { topic })
            .SelectAsync(1, async m =>
            {
                await gate.Task;
                afterGate.Enqueue(m.Record.TopicPartition);
                m.Offset.MarkProcessed();
                return m;
            })
            .To(Sink.Ignore<CommittableMessage>())
            .Run(Sys.Materializer());
        await PausedWithAll(a, Partitions);
        var b = Member(topic, group, "b", received, Task.CompletedTask);
        await Rebalanced(a, b);
        var kept = a.Assignment.ToHashSet();
        gate.SetResult();

        await KafkaTestData.Eventually(() => afterGate.Count > Buffer, KafkaTestData.Timeout, () => $"a delivered {afterGate.Count}; {a.Metrics}");
        // The first message was already inside SelectAsync before the rebalance; every later one must belong to
        // a partition a still owns (b re-reads the revoked ones from their committed offsets).
        var foreign = afterGate.Skip(1).Where(tp => !kept.Contains(tp)).ToList();
        Assert.True(foreign.Count == 0, $"{foreign.Count} messages of revoked partitions handed downstream: {string.Join(",", foreign.Distinct())}");
        await ShutDown(a, b);
    }

    private async Task<(string Topic, string Group)> Backlog()
    {
        var topic = _kafka.NewTopic(Partitions);
        await KafkaTestData.ProducePerPartition(_kafka.BootstrapServers, topic, Partitions, PerPartition);
        return (topic, "g-" + Guid.NewGuid().ToString("N"));
    }

    private ConsumerSettings Settings(string group, string clientId) => _kafka.MemberSettings(group, clientId).WithBufferSize(Buffer);

    /// <summary>A member whose stream does not pull past its first message until <paramref name="gate"/> opens.</summary>
    private IConsumerControl Member(
        string topic, string group, string clientId, ConcurrentDictionary<TopicPartitionOffset, int> received, Task gate) =>
        KafkaConsumer.CommittableSource(Settings(group, clientId), new[] { topic })
            .SelectAsync(1, async m =>
            {
                await gate;
                received.AddOrUpdate(m.Record.TopicPartitionOffset, 1, (_, n) => n + 1);
                m.Offset.MarkProcessed();
                return m;
            })
            .To(Sink.Ignore<CommittableMessage>())
            .Run(Sys.Materializer());

    private static Task PausedWithAll(IConsumerControl member, int partitions) =>
        KafkaTestData.Eventually(
            () => member.Metrics is { Paused: true } m && m.Assignment.Count == partitions,
            KafkaTestData.Timeout, () => $"not paused with {partitions} partitions: {member.Metrics}");

    private static Task Rebalanced(IConsumerControl a, IConsumerControl b) =>
        KafkaTestData.Eventually(
            () => b.Assignment.Count > 0 && a.Metrics.PartitionsRevoked > 0 && a.Assignment.Count + b.Assignment.Count == Partitions,
            KafkaTestData.Timeout, () => $"a {a.Metrics}; b {b.Metrics}");

    private async Task EveryMessage(string topic, ConcurrentDictionary<TopicPartitionOffset, int> received, Func<string> state)
    {
        const int total = Partitions * PerPartition;
        await KafkaTestData.Eventually(() => received.Count == total, DeliveryBound, () =>
        {
            var missing = received.Keys.GroupBy(k => k.Partition.Value).ToDictionary(g => g.Key, g => g.Count());
            var short_ = Enumerable.Range(0, Partitions).Where(p => missing.GetValueOrDefault(p) < PerPartition)
                .Select(p => $"p{p}={missing.GetValueOrDefault(p)}");
            return $"{received.Count} of {total} delivered; short: {string.Join(",", short_)}; {state()}";
        });
        _output.WriteLine($"all {total} delivered of {topic}; duplicates {received.Values.Sum() - total}; {state()}");
        Assert.All(received.Keys, k => Assert.InRange(k.Offset.Value, 0, PerPartition - 1));
    }

    private static async Task ShutDown(params IConsumerControl[] members)
    {
        foreach (var m in members) await m.DrainAndShutdown(TimeSpan.FromSeconds(5));
    }
}
