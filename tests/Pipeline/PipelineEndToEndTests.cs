using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TrafficActors.Domain;
using TrafficActors.Host.Node;
using TrafficActors.Ingest;
using TrafficActors.Kafka;
using TrafficActors.Reference;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;
using Xunit.Abstractions;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Pipeline;

/// <summary>The whole node against a real Kafka-protocol broker: exact alerts, windows and dead letters.</summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class PipelineEndToEndTests(ITestOutputHelper output)
{
    private const string StatelessOnly = """
        traffic.rules.harsh-braking.enabled = off
        traffic.rules.sustained-overspeed.enabled = off
        traffic.windows.publish-interval = 50ms
        traffic.node.stats-interval = 1s
        """;

    internal static EmbeddedKafkaCluster StartBroker()
    {
        var broker = EmbeddedKafkaCluster.Start(3);
        broker.CreateTopic("raw-data", 12);
        broker.CreateTopic("samples-enriched", 12);
        broker.CreateTopic("alert-data", 12);
        broker.CreateTopic("raw-data-dlq", 3);
        broker.CreateTopic("alert-windows", 3);
        return broker;
    }

    [Fact]
    public async Task Known_dataset_yields_exact_alerts_windows_and_dead_letters()
    {
        using var broker = StartBroker();
        using var dir = new TempDir();
        // Recent enough that no window closes (2 min allowed lateness) while the test runs.
        var start = WindowKey.StartOf(DateTimeOffset.UtcNow.AddSeconds(-60), TimeSpan.FromMinutes(1));
        var data = Dataset.Create(600, start);
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, StatelessOnly));

        await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", data.Messages());

        var expectedAlerts = data.Valid.Where(e => Dataset.ExpectedViolations(e).Count > 0).ToDictionary(e => e.EventId);
        var alerts = KafkaTestClient.ReadTopic(broker.BootstrapServers, "alert-data", r => r.Count >= expectedAlerts.Count, TimeSpan.FromSeconds(60));
        var dlq = KafkaTestClient.ReadTopic(broker.BootstrapServers, "raw-data-dlq", r => r.Count >= data.Malformed.Count, TimeSpan.FromSeconds(30));
        var enriched = KafkaTestClient.ReadTopic(broker.BootstrapServers, "samples-enriched", r => r.Count >= data.Valid.Count, TimeSpan.FromSeconds(30));
        output.WriteLine($"alerts {alerts.Count}/{expectedAlerts.Count}, dlq {dlq.Count}/{data.Malformed.Count}, enriched {enriched.Count}/{data.Valid.Count}");

        // Alerts: exactly one per offending event, listing exactly the broken rules, enriched from the reference data.
        var fleet = SeedFleet.Snapshot(20);
        var byId = alerts.Select(a => WireFormat.ReadAlert(a.Message.Value)).ToDictionary(a => a.Sample.EventId);
        Assert.Equal(expectedAlerts.Count, alerts.Count);
        Assert.Equal(expectedAlerts.Keys.Order(), byId.Keys.Order());
        foreach (var (id, raw) in expectedAlerts)
        {
            var a = byId[id];
            Assert.Equal(Dataset.ExpectedViolations(raw), a.Violations);
            Assert.Equal(raw.CarId.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(alerts.First(r => WireFormat.ReadAlert(r.Message.Value).Sample.EventId == id).Message.Key!));
            var car = fleet.Lookup(raw.CarId);
            Assert.Equal(car?.ColorName, a.Sample.ColorName);
            Assert.Equal(car?.DriverId, a.Sample.DriverId);
            Assert.Equal(car?.BrandName, a.Sample.BrandName);
            Assert.Equal(raw.Speed, a.Sample.Speed);
            Assert.Equal(raw.Location, a.Sample.Location);
        }

        // Every valid event enriched once; unknown cars kept with empty enrichment.
        Assert.Equal(data.Valid.Count, enriched.Count);
        var unknown = enriched.Select(r => WireFormat.ReadEnriched(r.Message.Value)).Where(s => s.CarId == Dataset.UnknownCar).ToList();
        Assert.NotEmpty(unknown);
        Assert.All(unknown, s => Assert.Null(s.BrandName));
        Assert.Equal(unknown.Count, node.Metrics.UnknownCars);

        // Dead letters: every malformed payload byte for byte, with its reason; an oversized one only as far as the
        // node read it (the size limit + 1 byte), with its real size in a header.
        Assert.Equal(data.Malformed.Count, dlq.Count);
        var kept = TrafficActors.Domain.ValidationLimits.Default.MaxMessageBytes + 1;
        foreach (var (payload, reason) in data.Malformed)
        {
            var stored = payload.Length > kept ? payload[..kept] : payload;
            var match = Assert.Single(dlq, r => r.Message.Value!.AsSpan().SequenceEqual(stored));
            if (payload.Length > kept)
                Assert.Equal(payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(match.Message.Headers.GetLastBytes(DeadLetterHeaders.OriginalSize)));
            var header = Encoding.UTF8.GetString(match.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason));
            Assert.StartsWith(reason, header);
            Assert.Equal("raw-data", Encoding.UTF8.GetString(match.Message.Headers.GetLastBytes(DeadLetterHeaders.SourceTopic)));
        }

        // Windows through the HTTP API: exact per-minute figures.
        var expectedWindows = data.ExpectedWindows();
        using var http = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        JsonElement[] windows = [];
        await Poll.Until(
            async () =>
            {
                windows = (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!;
                return windows.Sum(w => w.GetProperty("alerts").GetInt64()) == expectedAlerts.Count;
            },
            TimeSpan.FromSeconds(20), () => $"{expectedAlerts.Count} alerts in the windows; last seen {windows.Sum(w => w.GetProperty("alerts").GetInt64())}",
            TimeSpan.FromMilliseconds(100));

        Assert.Equal(expectedWindows.Count, windows.Length);
        Assert.True(windows.Select(w => w.GetProperty("window_start").GetDateTimeOffset()).SequenceEqual(expectedWindows.Keys.OrderDescending()), "newest first");
        foreach (var w in windows)
        {
            Dataset.AssertWindow(w, expectedWindows[w.GetProperty("window_start").GetDateTimeOffset()]);
        }

        // The seed's 15-minute view: one roll-up row (or two across a quarter-hour boundary) holding every alert.
        var quarter = (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=4&size=15m"))!;
        Assert.Equal(expectedAlerts.Count, quarter.Sum(w => w.GetProperty("alerts").GetInt64()));
        Assert.All(quarter, w => Assert.Equal(TimeSpan.FromMinutes(15), w.GetProperty("window_end").GetDateTimeOffset() - w.GetProperty("window_start").GetDateTimeOffset()));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/api/windows?size=7s")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/api/windows?size=banana")).StatusCode);

        var recent = (await http.GetFromJsonAsync<JsonElement[]>("/api/alerts/recent?limit=5"))!;
        Assert.Equal(5, recent.Length);
        output.WriteLine("recent: " + string.Join(", ", recent.Select(a => $"{a.GetProperty("event_id").GetString()}@{a.GetProperty("event_time").GetString()}/{a.GetProperty("car_id").GetInt64()}")));
        output.WriteLine("expected: " + string.Join(", ", expectedAlerts.Values.OrderByDescending(e => e.EventTime).Take(8).Select(e => $"{e.EventId}@{e.EventTime:O}/{e.CarId}")));
        var newest = expectedAlerts.Values.OrderByDescending(e => e.EventTime).Take(5).Select(e => e.EventId);
        Assert.Equal(newest, recent.Select(a => a.GetProperty("event_id").GetString()));

        var info = await http.GetFromJsonAsync<JsonElement>("/api/info");
        Assert.Equal(broker.BootstrapServers, info.GetProperty("kafka_bootstrap").GetString());
        Assert.Contains("ingest", info.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(data.Valid.Count, info.GetProperty("stats").GetProperty("processed").GetInt64());
        Assert.Equal(data.Malformed.Count, info.GetProperty("stats").GetProperty("dead_lettered").GetInt64());

        var bad = await http.GetAsync("/api/windows?last=0");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("last must be", await bad.Content.ReadAsStringAsync());
    }
}
