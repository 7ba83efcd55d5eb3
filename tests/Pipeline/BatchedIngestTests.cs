using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Host.Node;
using TrafficActors.Ingest;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Pipeline;

/// <summary>
/// What batching could break, against the real broker: each car's events spread over many small batches (so order
/// across batches decides the stateful rules), poison messages inside batches, and a rebalance that takes
/// partitions away while their batches are in flight.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class BatchedIngestTests(ITestOutputHelper output)
{
    // Small batches and few in flight, so every car's events span many batches and several are in flight at once;
    // a bucket's alerts of one batch go in parts of two, so counting exactly also proves the parts add up.
    private const string SmallBatches = """
        traffic.ingest.max-batch = 5
        traffic.ingest.parallelism = 40
        traffic.ingest.max-alerts-per-count = 2
        traffic.windows.publish-interval = 50ms
        """;

    [Fact]
    public async Task A_cars_events_keep_their_order_across_batches_and_poison_messages_cost_nothing_else()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        var cars = SeedFleet.Cars(20).Take(4).Select(c => c.CarId).ToArray();
        var start = DateTimeOffset.UtcNow.AddSeconds(-20);
        var rnd = new Random(11);
        var byCar = cars.ToDictionary(c => c, c => Enumerable.Range(0, 150).Select(i => new RawEvent(
            $"o-{c}-{i:D3}", start.AddMilliseconds(i * 500), c, Math.Round(rnd.NextDouble() * 180, 1), rnd.Next(900, 6500), rnd.Next(1, 8))).ToList());

        // Interleaved by car, a poison message keyed like the car after every 7th event: same partition, same batches.
        var messages = new List<(byte[]? Key, byte[] Value)>();
        var poison = 0;
        for (var i = 0; i < 150; i++)
        {
            foreach (var car in cars)
            {
                messages.Add((WireFormat.CarKey(car), WireFormat.ToJson(byCar[car][i])));
                if (i % 7 != 3) continue;
                messages.Add((WireFormat.CarKey(car), Encoding.UTF8.GetBytes($"{{\"event_id\":\"poison-{car}-{i}\",\"car_id\":")));
                poison++;
            }
        }

        // Everything is on the broker before the node reads, so batches are full from the first poll.
        await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", messages);
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, SmallBatches));

        // The oracle: the production rules over each car's events in their order.
        var engine = new RuleEngine(node.Settings.Rules);
        var expected = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (_, events) in byCar)
        {
            var state = CarRuleState.Initial;
            foreach (var e in events)
            {
                var verdict = engine.Evaluate(state, e.EventTime, e.Speed, e.Rpm, e.Gear);
                state = verdict.NextState;
                if (verdict.IsAlert) expected[e.EventId] = verdict.Violations;
            }
        }

        var valid = byCar.Values.Sum(v => v.Count);
        var enriched = KafkaTestClient.ReadTopic(broker.BootstrapServers, "samples-enriched", r => r.Count >= valid, TimeSpan.FromSeconds(60));
        var alerts = KafkaTestClient.ReadTopic(broker.BootstrapServers, "alert-data", r => r.Count >= expected.Count, TimeSpan.FromSeconds(30));
        var dlq = KafkaTestClient.ReadTopic(broker.BootstrapServers, "raw-data-dlq", r => r.Count >= poison, TimeSpan.FromSeconds(30));
        output.WriteLine($"enriched {enriched.Count}/{valid}, alerts {alerts.Count}/{expected.Count} (stateful: {expected.Values.Count(v => v.Contains(RuleNames.HarshBraking) || v.Contains(RuleNames.SustainedOverspeed))}), dlq {dlq.Count}/{poison}");

        // Order: a car's records share a partition, so the topic holds them in the order the car wrote them.
        foreach (var car in cars)
        {
            var written = enriched.Where(r => Encoding.ASCII.GetString(r.Message.Key!) == car.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .OrderBy(r => r.Offset.Value).Select(r => WireFormat.ReadEnriched(r.Message.Value).EventId);
            Assert.Equal(byCar[car].Select(e => e.EventId), written);
        }

        // Stateful rules saw every car's events in order: exactly the oracle's alerts, nothing else.
        var produced = alerts.Select(a => WireFormat.ReadAlert(a.Message.Value)).ToDictionary(a => a.Sample.EventId, a => a.Violations);
        Assert.Equal(expected.Keys.Order(), produced.Keys.Order());
        foreach (var (id, violations) in expected) Assert.Equal(violations, produced[id]);

        // Poison messages: each one dead-lettered with its reason; the valid events of their batches all went through.
        Assert.Equal(poison, dlq.Count);
        Assert.All(dlq, r => Assert.StartsWith("malformed JSON", Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason))));
        Assert.Equal(valid, node.Metrics.Processed);
        Assert.Equal(poison, node.Metrics.DeadLettered);

        // Every alert counted once, and every offset committed.
        using var http = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        await Poll.Until(async () => (await Counted(http)) == expected.Count, TimeSpan.FromSeconds(20), "windows counting every alert");
        await Poll.Until(() => Task.FromResult(Lag(broker, node) == 0), TimeSpan.FromSeconds(20), "offsets committed to the end");
        Assert.Equal(expected.Count, await Counted(http));
    }

    [Fact]
    public async Task A_rebalance_that_takes_partitions_away_mid_batch_loses_and_doubles_nothing()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        var start = TrafficActors.Windows.WindowKey.StartOf(DateTimeOffset.UtcNow.AddSeconds(-60), TimeSpan.FromMinutes(1));
        var data = Dataset.Create(3000, start, seed: 31);
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, """
            traffic.rules.harsh-braking.enabled = off
            traffic.rules.sustained-overspeed.enabled = off
            traffic.ingest.max-batch = 50
            traffic.ingest.parallelism = 200
            traffic.ingest.max-alerts-per-count = 7
            traffic.windows.publish-interval = 50ms
            """));
        var group = node.Settings.Kafka.ToConsumerSettings().GroupId;

        // Half the data before the second member joins, the rest only once it holds partitions, so it finds
        // unprocessed messages there however long the rebalance takes.
        var intruderAssigned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var chunks = data.Messages().Chunk(150).ToArray();
        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < chunks.Length; i++)
            {
                if (i == chunks.Length / 2) await intruderAssigned.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", chunks[i]);
                await Task.Delay(100); // a steady stream, so the rebalance lands on batches in flight
            }
        });
        await Poll.Until(() => Task.FromResult(node.Metrics.Processed >= 300), TimeSpan.FromSeconds(60), "node processing");

        // A second member joins the node's group mid-stream: the rebalance revokes partitions whose batches are in
        // flight. It reads without committing and leaves, so the node must process those partitions again from
        // its own committed offsets.
        var stolen = 0;
        using (var intruder = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            SessionTimeoutMs = 6000,
        }).Build())
        {
            intruder.Subscribe("raw-data");
            // Holds its partitions for a while after it first read from them, within an overall bound.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            DateTime? firstRead = null;
            while (DateTime.UtcNow < deadline && (firstRead is null || DateTime.UtcNow - firstRead < TimeSpan.FromSeconds(3)))
            {
                if (intruder.Assignment.Count > 0) intruderAssigned.TrySetResult();
                if (intruder.Consume(TimeSpan.FromMilliseconds(100)) is not { Message: not null }) continue;
                stolen++;
                firstRead ??= DateTime.UtcNow;
            }

            intruder.Close();
        }

        output.WriteLine($"the second member read {stolen} messages without processing them");
        await producing;

        var expected = data.ExpectedWindows();
        var total = expected.Values.Sum(v => v.Count);
        using var http = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        await Poll.Until(async () => await Counted(http) >= total && Lag(broker, node) == 0, TimeSpan.FromSeconds(90), "every alert counted after the rebalance");
        await Task.Delay(1000); // anything counted twice would show up now

        var windows = (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!;
        Assert.True(stolen > 0, "the second member was assigned partitions");
        Assert.Equal(expected.Count, windows.Length);
        foreach (var w in windows) Dataset.AssertWindow(w, expected[w.GetProperty("window_start").GetDateTimeOffset()]);
        // Redelivered events are enriched twice: read until every distinct event is there, not until enough records are.
        var enriched = KafkaTestClient.ReadTopic(broker.BootstrapServers, "samples-enriched",
            r => r.Select(m => WireFormat.ReadEnriched(m.Message.Value).EventId).Distinct().Count() >= data.Valid.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(data.Valid.Select(e => e.EventId).Order(), enriched.Select(r => WireFormat.ReadEnriched(r.Message.Value).EventId).Distinct().Order());
    }

    private static async Task<long> Counted(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!.Sum(w => w.GetProperty("alerts").GetInt64());

    private static long Lag(EmbeddedKafkaCluster broker, TrafficNode node) =>
        KafkaTestClient.GroupOffsets(broker.BootstrapServers, node.Settings.Kafka.ToConsumerSettings().GroupId, "raw-data").Sum(p => p.End - Math.Max(0, p.Committed));
}
