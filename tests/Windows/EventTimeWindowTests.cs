using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Host.Node;
using TrafficActors.Kafka.Testkit;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Windows;

/// <summary>
/// Windows close by event time on a real node and broker: yesterday's data replayed now yields yesterday's windows
/// closed with their exact figures (and none late), while a partition that lags behind (skew) holds every window
/// open until it has been idle for the idle timeout; each closed window is produced once to alert-windows; an alert
/// arriving after its window closed counts as late.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class EventTimeWindowTests(ITestOutputHelper output)
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Replayed_data_of_yesterday_closes_its_windows_once_a_skewed_partition_goes_idle()
    {
        using var broker = EmbeddedKafkaCluster.Start(1);
        broker.CreateTopic("raw-data", 2);
        broker.CreateTopic("samples-enriched", 2);
        broker.CreateTopic("alert-data", 2);
        broker.CreateTopic("raw-data-dlq", 1);
        broker.CreateTopic("alert-windows", 1);
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, $"""
            traffic.kafka.partitions.raw = 2
            traffic.rules.harsh-braking.enabled = off
            traffic.rules.sustained-overspeed.enabled = off
            traffic.windows.publish-interval = 50ms
            traffic.windows.idle-timeout = {IdleTimeout.TotalSeconds}s
            traffic.windows.watermark-interval = 200ms
            traffic.windows.allowed-lateness = {Lateness.TotalSeconds}s
            """));

        // Yesterday (within the 24 h retention): four minutes on partition 0, only the first half minute on
        // partition 1, which then falls silent.
        var yesterday = WindowKey.StartOf(DateTimeOffset.UtcNow.AddHours(-22), TimeSpan.FromMinutes(1));
        var ahead = Dataset.Create(300, yesterday, seed: 31, spanSeconds: 240);
        var behind = Dataset.Create(60, yesterday, seed: 32, spanSeconds: 30);
        var expected = Dataset.Union(ahead, behind).ExpectedWindows();
        var last = yesterday.AddMinutes(3);
        Assert.Equal([yesterday, yesterday.AddMinutes(1), yesterday.AddMinutes(2), last], expected.Keys.Order());

        using var producer = KafkaTestClient.Producer(broker.BootstrapServers);
        var skew = Stopwatch.StartNew();
        await ProduceAsync(producer, 1, behind.Messages());
        await ProduceAsync(producer, 0, ahead.Messages());
        // Partition 0 stays busy: a car with no violation keeps reporting at the end of the replay, so it never
        // goes idle and its progress (four minutes in) is what the watermark moves to once partition 1 is idle.
        using var keepBusy = new CancellationTokenSource();
        var busy = Task.Run(async () =>
        {
            for (var i = 0; !keepBusy.IsCancellationRequested; i++)
            {
                var quiet = new RawEvent($"busy-{i}", yesterday.AddMinutes(4), 1000007, 60, 2000, 2, null);
                await ProduceAsync(producer, 0, [(WireFormat.CarKey(quiet.CarId), WireFormat.ToJson(quiet))]);
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        });

        try
        {
            var total = ahead.Valid.Count + behind.Valid.Count;
            await Poll.Until(() => Task.FromResult(node.Metrics.Processed >= total), TimeSpan.FromSeconds(30), $"{total} events processed");
            using var http = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
            // Everything is counted, but partition 1 is not idle yet: it holds the watermark at half a minute in.
            var open = await WindowsAsync(http);
            if (skew.Elapsed < IdleTimeout) Assert.All(open, w => Assert.False(w.GetProperty("closed").GetBoolean()));

            JsonElement[] windows = [];
            await Poll.Until(
                async () =>
                {
                    windows = await WindowsAsync(http);
                    return windows.Count(w => w.GetProperty("closed").GetBoolean()) == 3;
                },
                TimeSpan.FromSeconds(30), () => $"three of yesterday's windows closed; seen {string.Join(", ", windows.Select(Describe))}");
            output.WriteLine($"closed after {skew.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", windows.Select(Describe))}");
            // Not before partition 1 had been idle for the idle timeout.
            Assert.True(skew.Elapsed >= IdleTimeout, $"windows closed {skew.Elapsed.TotalSeconds:0.0} s after partition 1's last record");

            Assert.Equal(expected.Keys.OrderDescending(), windows.Select(w => w.GetProperty("window_start").GetDateTimeOffset()));
            foreach (var w in windows)
            {
                var start = w.GetProperty("window_start").GetDateTimeOffset();
                Dataset.AssertWindow(w, expected[start]);
                // The last minute of the replay ends after the watermark (four minutes in) less the lateness.
                Assert.Equal(start != last, w.GetProperty("closed").GetBoolean());
            }

            // Each closed window produced once to alert-windows, keyed by its start, with the figures of the API.
            var records = KafkaTestClient.ReadTopic(broker.BootstrapServers, "alert-windows", r => r.Count >= 3, TimeSpan.FromSeconds(20));
            Assert.Equal(
                expected.Keys.Where(k => k != last).Select(WindowResultJson.Key).Order(),
                records.Select(r => System.Text.Encoding.UTF8.GetString(r.Message.Key!)).Order());
            foreach (var r in records)
            {
                using var doc = JsonDocument.Parse(r.Message.Value!);
                var start = doc.RootElement.GetProperty("window_start").GetDateTimeOffset();
                Dataset.AssertWindow(doc.RootElement, expected[start]);
                Assert.True(doc.RootElement.GetProperty("closed").GetBoolean());
            }

            // An alert for a closed window that arrives now counts only in its `late` figure.
            var late = new RawEvent("late-1", yesterday.AddSeconds(10), 1000007, 150, 4000, 5, null);
            await ProduceAsync(producer, 0, [(WireFormat.CarKey(late.CarId), WireFormat.ToJson(late))]);
            JsonElement first = default;
            await Poll.Until(
                async () =>
                {
                    first = (await WindowsAsync(http)).Single(w => w.GetProperty("window_start").GetDateTimeOffset() == yesterday);
                    return first.GetProperty("late").GetInt64() == 1;
                },
                TimeSpan.FromSeconds(15), () => $"the late alert counted as late; window {Describe(first)} late {first.GetProperty("late")}");
            Assert.Equal(expected[yesterday].Count, first.GetProperty("alerts").GetInt64());
        }
        finally
        {
            await keepBusy.CancelAsync();
            await busy;
        }
    }

    private static async Task<JsonElement[]> WindowsAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!;

    private static string Describe(JsonElement w) =>
        $"{w.GetProperty("window_start").GetDateTimeOffset():HH:mm} alerts {w.GetProperty("alerts")} closed {w.GetProperty("closed")}";

    private static async Task ProduceAsync(IProducer<byte[]?, byte[]?> producer, int partition, IEnumerable<(byte[]? Key, byte[] Value)> messages)
    {
        var target = new TopicPartition("raw-data", partition);
        await Task.WhenAll(messages.Select(m => producer.ProduceAsync(target, new Message<byte[]?, byte[]?> { Key = m.Key, Value = m.Value })));
    }
}
