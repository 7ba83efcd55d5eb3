using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Time.Testing;
using TrafficActors.Domain;
using TrafficActors.Host.Node;
using TrafficActors.Persistence;
using TrafficActors.Tests.Support;
using TrafficActors.Tests.Windows;
using TrafficActors.Windows;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Pipeline;

/// <summary>
/// Restarting the all-in-one node: mid-stream it loses nothing and resumes from the committed offsets; after its
/// windows closed (snapshotted, their journal compacted) it shows every one of them again with its exact figures.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_event_is_processed_at_least_once_across_a_restart_and_offsets_resume()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        var data = Dataset.Create(4000, WindowKey.StartOf(DateTimeOffset.UtcNow.AddMinutes(-4), TimeSpan.FromMinutes(1)), seed: 11);
        // Small in-flight window so the stop really lands mid-stream.
        var options = TestNodes.Options(broker, dir, "traffic.ingest.parallelism = 16\ntraffic.kafka.consumer.buffer-size = 64");

        var first = await TrafficNode.StartAsync(options);
        var firstMetrics = first.Metrics;
        var producing = KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", data.Messages());
        // Polled often: the stop should land soon after the mark, mid-stream.
        await Poll.Until(() => firstMetrics.Processed >= 1000, TimeSpan.FromSeconds(60), () => $"1000 events processed; {firstMetrics.Processed} so far", TimeSpan.FromMilliseconds(20));
        var processedBeforeStop = firstMetrics.Processed;
        Assert.True(processedBeforeStop >= 1000, $"first node processed only {processedBeforeStop}");
        await first.DisposeAsync();
        var afterFirst = firstMetrics.Processed + firstMetrics.DeadLettered;
        output.WriteLine($"first node handled {afterFirst} before stopping");
        await producing;
        var total = data.Valid.Count + data.Malformed.Count;
        Assert.True(afterFirst < total, "the first node should have stopped mid-stream");

        await using var second = await TrafficNode.StartAsync(options);
        await Poll.Until(
            () => second.Metrics.Processed + second.Metrics.DeadLettered >= total - afterFirst, TimeSpan.FromSeconds(90),
            () => $"the second node handling the remaining {total - afterFirst}; {second.Metrics.Processed + second.Metrics.DeadLettered} so far", TimeSpan.FromMilliseconds(50));

        var enriched = KafkaTestClient.ReadTopic(
            broker.BootstrapServers, "samples-enriched",
            r => r.Select(m => WireFormat.ReadEnriched(m.Message.Value).EventId).Distinct().Count() >= data.Valid.Count,
            TimeSpan.FromSeconds(60));
        var ids = enriched.Select(m => WireFormat.ReadEnriched(m.Message.Value).EventId).ToList();
        var missing = data.Valid.Select(e => e.EventId).Except(ids).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} events never processed, e.g. {string.Join(", ", missing.Take(5))}");

        // Resumed from committed offsets: the second node re-handled at most what was in flight, not the topic.
        var secondHandled = second.Metrics.Processed + second.Metrics.DeadLettered;
        var redelivered = afterFirst + secondHandled - total;
        output.WriteLine($"second node handled {secondHandled}; redelivered {redelivered}; enriched records {enriched.Count}");
        Assert.InRange(redelivered, 0, 12 * 64 + 16);

        await second.StopAsync();
        var offsets = KafkaTestClient.GroupOffsets(broker.BootstrapServers, "traffic-actors", "raw-data");
        // A partition that never received a message has nothing to commit.
        Assert.All(offsets, o => Assert.Equal(o.End, o.End == 0 ? Math.Max(0, o.Committed) : o.Committed));
    }

    [Fact]
    public async Task Closed_windows_come_back_with_their_exact_figures_when_the_node_restarts()
    {
        var length = TimeSpan.FromSeconds(5);
        // The buckets' clock stands still; the windows close when the test moves the watermark past both.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        var options = TestNodes.Options(broker, dir, """
            traffic.management.port = 0
            traffic.windows.length = 5s
            traffic.windows.allowed-lateness = 1s
            traffic.rules.harsh-braking.enabled = off
            traffic.rules.sustained-overspeed.enabled = off
            """) with { Clock = clock };
        // Two windows from the current one, both open on the buckets' clock while every alert arrives.
        var start = WindowKey.StartOf(clock.GetUtcNow(), length);
        var data = Dataset.Create(300, start, seed: 21, spanSeconds: 7.5);
        var expected = data.Valid.Where(e => Dataset.ExpectedViolations(e).Count > 0)
            .GroupBy(e => WindowKey.StartOf(e.EventTime, length)).ToDictionary(g => g.Key, g => g.ToList());
        var closed = start + (2 * length) + TimeSpan.FromSeconds(1);

        // The first node closes the windows but never publishes them: on disk, the state a kill between a window's
        // close and its publication leaves (WindowClosed persisted, no WindowPublished).
        var first = await TrafficNode.StartAsync(options with { ExtraHocon = options.ExtraHocon + "\ntraffic.outputs.windows = off" });
        await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", data.Messages());
        await Poll.Until(() => Task.FromResult(first.Metrics.Processed >= data.Valid.Count), TimeSpan.FromSeconds(60), "events processed");
        await AssertWindows(first, expected, "before the restart");
        await CloseWindows(first, closed);
        Assert.Empty(KafkaTestClient.ReadTopic(broker.BootstrapServers, "alert-windows", _ => true, TimeSpan.FromSeconds(5)));

        // The first window is left as a kill between producing its record and noting it leaves it: the publisher's
        // intent persisted and the record on the topic, but no WindowPublished. It must not be produced again.
        var crashed = expected.Keys.Min();
        var figures = await FinalFigures(first, crashed);
        await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "alert-windows",
            [(System.Text.Encoding.UTF8.GetBytes(WindowResultJson.Key(crashed)), WindowResultJson.Write(figures))]);
        await first.ActorSystem.ActorOf(Props.Create(() => new IntentWriter(WindowPublisherActor.PersistencePrefix + WindowResultJson.Key(crashed), crashed)))
            .Ask<Akka.Done>(IntentWriter.Write, TimeSpan.FromSeconds(10));
        await first.DisposeAsync();

        await using var second = await TrafficNode.StartAsync(options);
        await AssertWindows(second, expected, "after the restart");

        // The restarted buckets find their windows unpublished: each is produced once, with its exact figures; the
        // one whose record was already there is found on the topic and not produced again.
        var records = KafkaTestClient.ReadTopic(broker.BootstrapServers, "alert-windows", r => r.Count >= expected.Count, TimeSpan.FromSeconds(20));
        AssertPublishedOnce(records, expected);
        // Asked again (every bucket restarts or moves at some point), a published window is not produced again.
        var region = ActorRegistry.For(second.ActorSystem).Get<WindowAggregatorActor>();
        foreach (var (windowStart, _) in expected)
            for (var b = 0; b < second.Settings.Windows.Buckets; b++) region.Tell(new WakeWindow(new WindowKey(windowStart, b).EntityId));
        var again = KafkaTestClient.ReadTopic(broker.BootstrapServers, "alert-windows", _ => false, TimeSpan.FromSeconds(3));
        AssertPublishedOnce(again, expected);
    }

    /// <summary>The window's figures merged over its closed buckets, as its publisher produces them.</summary>
    private static async Task<WindowStats> FinalFigures(TrafficNode node, DateTimeOffset start)
    {
        var region = ActorRegistry.For(node.ActorSystem).Get<WindowAggregatorActor>();
        var parts = new List<WindowStats>();
        for (var b = 0; b < node.Settings.Windows.Buckets; b++)
        {
            var answer = await region.Ask<TrafficActors.Windows.FinalFigures>(new GetFinalFigures(new WindowKey(start, b).EntityId), TimeSpan.FromSeconds(10));
            if (answer.Stats is { } stats) parts.Add(stats);
        }

        return parts.Aggregate((a, b) => a.Merge(b));
    }

    /// <summary>Persists a window publisher's intent to produce, as the publisher does just before producing.</summary>
    private sealed class IntentWriter : Akka.Persistence.ReceivePersistentActor
    {
        public const string Write = "write";
        private readonly string _persistenceId;

        public IntentWriter(string persistenceId, DateTimeOffset start)
        {
            _persistenceId = persistenceId;
            Command<string>(_ =>
            {
                var replyTo = Sender;
                Persist(new WindowPublishing(start), _ => replyTo.Tell(Akka.Done.Instance));
            });
        }

        public override string PersistenceId => _persistenceId;
    }

    private static void AssertPublishedOnce(List<ConsumeResult<byte[]?, byte[]?>> records, Dictionary<DateTimeOffset, List<RawEvent>> expected)
    {
        Assert.Equal(expected.Keys.Select(WindowResultJson.Key).Order(), records.Select(r => System.Text.Encoding.UTF8.GetString(r.Message.Key!)).Order());
        foreach (var r in records)
        {
            using var doc = JsonDocument.Parse(r.Message.Value!);
            var start = doc.RootElement.GetProperty("window_start").GetDateTimeOffset();
            Dataset.AssertWindow(doc.RootElement, expected[start]);
            Assert.True(doc.RootElement.GetProperty("closed").GetBoolean());
        }
    }

    /// <summary>
    /// Moves the node's watermark to <paramref name="watermark"/> (as if every partition had passed it) and waits until
    /// each bucket has closed: snapshotted, with its journal deleted behind the snapshot.
    /// </summary>
    private static async Task CloseWindows(TrafficNode node, DateTimeOffset watermark)
    {
        NodeWatermark.Get(node.ActorSystem).Advance(watermark);
        var (persistence, dataDir) = (node.Settings.Persistence, node.Settings.DataDir);
        var ids = await new JournalDatabase(persistence, dataDir).PersistenceIdsAsync(WindowAggregatorActor.PersistencePrefix);
        var region = ActorRegistry.For(node.ActorSystem).Get<WindowAggregatorActor>();
        foreach (var id in ids) region.Tell(new WakeWindow(id[WindowAggregatorActor.PersistencePrefix.Length..]));
        await Poll.Until(
            async () => await ClosedWindowRestoreTests.CompactedBucketsAsync(persistence, dataDir) == ids.Count,
            TimeSpan.FromSeconds(30), $"all {ids.Count} buckets to close and compact their journal");
    }

    private async Task AssertWindows(TrafficNode node, Dictionary<DateTimeOffset, List<RawEvent>> expected, string when)
    {
        using var http = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        var total = expected.Values.Sum(v => v.Count);
        JsonElement[] windows = [];
        await Poll.Until(async () =>
        {
            windows = (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!;
            return windows.Length == expected.Count && windows.Sum(w => w.GetProperty("alerts").GetInt64()) == total;
        }, TimeSpan.FromSeconds(30), $"{expected.Count} windows with {total} alerts {when}");
        foreach (var w in windows) Dataset.AssertWindow(w, expected[w.GetProperty("window_start").GetDateTimeOffset()]);
        output.WriteLine($"{when}: {windows.Length} windows, {total} alerts, exact");
    }
}
