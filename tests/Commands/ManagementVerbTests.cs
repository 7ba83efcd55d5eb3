using System.Globalization;
using System.Net;
using System.Text.Json;
using TrafficActors.Host.Commands;
using TrafficActors.Host.Node;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using TrafficActors.Web.Management;
using TrafficActors.Windows;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Commands;

/// <summary>
/// Every operations verb as a real <c>traffic</c> process against a live all-in-one node (embedded broker, events
/// produced), plus health, readiness, metrics and admin-token enforcement on the management endpoint.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class ManagementVerbTests(ITestOutputHelper output)
{
    private const string Token = "test-admin-token";
    private const string NodeHocon = """
        traffic.management.port = 0
        traffic.management.refresh-interval = 200ms
        traffic.windows.publish-interval = 50ms
        """;

    [Fact]
    public async Task Verbs_health_and_metrics_against_a_live_node()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, NodeHocon) with
        {
            AdminToken = new AdminToken(Token),
        });
        var mgmt = node.ManagementUrl;
        using var http = new HttpClient();

        // Liveness on both listeners; readiness once partitions are assigned.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(mgmt + "/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(node.BaseUrl + "/healthz")).StatusCode);
        await Eventually(async () => (await http.GetAsync(mgmt + "/ready")).StatusCode == HttpStatusCode.OK, "management /ready 200");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(node.BaseUrl + "/ready")).StatusCode);

        var before = await ScrapeAsync(http, mgmt);
        Assert.Equal(0, before.GetValueOrDefault("traffic_events_processed_total"));

        var data = Dataset.Create(200, WindowKey.StartOf(DateTimeOffset.UtcNow.AddMinutes(-3), TimeSpan.FromMinutes(1)));
        await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", data.Messages());
        await Eventually(() => Task.FromResult(node.Metrics.Processed >= data.Valid.Count), "events processed");

        // Metrics rose with the events; lag and car-entity gauges are there.
        Dictionary<string, double> after = [];
        await Eventually(async () =>
        {
            after = await ScrapeAsync(http, mgmt);
            return after.GetValueOrDefault("traffic_car_entities") > 0 && after.ContainsKey("traffic_kafka_consumer_lag{partition=\"0\",topic=\"raw-data\"}");
        }, "gauges refreshed");
        Assert.Equal(node.Metrics.Processed, after["traffic_events_processed_total"]);
        Assert.True(after["traffic_events_consumed_total"] >= data.Valid.Count);
        Assert.True(after["traffic_alerts_total"] > 0);
        Assert.True(after["traffic_dlq_entries_total"] > 0);
        Assert.True(after["traffic_processing_latency_seconds_count"] >= data.Valid.Count);
        Assert.True(after.ContainsKey("traffic_persistence_write_seconds_count"));

        // cluster show: table for people, JSON for scripts.
        var show = await Ok(null, "cluster", "show", "--node", mgmt);
        Assert.Contains("Up", show.Stdout);
        Assert.Contains("(this node)", show.Stdout);
        var cluster = Json(await Ok(null, "cluster", "show", "--node", mgmt, "--json"));
        var self = cluster.GetProperty("self_address").GetString()!;
        var member = Assert.Single(cluster.GetProperty("members").EnumerateArray());
        Assert.Equal("Up", member.GetProperty("status").GetString());
        Assert.True(member.GetProperty("leader").GetBoolean());
        Assert.Empty(cluster.GetProperty("unreachable").EnumerateArray());

        // actor hierarchy
        var tree = await Ok(null, "actor", "hierarchy", "--depth", "1", "--node", mgmt);
        Assert.Contains("/user/ingest", tree.Stdout);
        Assert.Contains("/system/sharding", tree.Stdout);
        var hierarchy = Json(await Ok(null, "actor", "hierarchy", "--depth", "3", "--node", mgmt, "--json"));
        Assert.Equal(["user", "system"], hierarchy.GetProperty("roots").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray());

        // sharding
        var regions = Json(await Ok(null, "sharding", "regions", "--node", mgmt, "--json")).GetProperty("regions").EnumerateArray().ToArray();
        var car = regions.Single(r => r.GetProperty("type").GetString() == "car");
        Assert.True(car.GetProperty("hosted_here").GetBoolean());
        Assert.True(car.GetProperty("nodes")[0].GetProperty("entities").GetInt32() > 0);
        Assert.Contains("window", (await Ok(null, "sharding", "regions", "--node", mgmt)).Stdout);
        var stats = await Ok(null, "sharding", "region-stats", "car", "--node", mgmt);
        Assert.Contains("entities on 1 nodes", stats.Stdout);
        var unknownRegion = await TrafficCli.RunAsync(null, "sharding", "region-stats", "nope", "--node", mgmt);
        Assert.Equal(ExitCodes.Error, unknownRegion.ExitCode);
        Assert.Contains("no shard region type 'nope'", unknownRegion.Stderr);

        // car show: a car with data, and one without.
        var carId = data.Valid[0].CarId;
        var carJson = Json(await Ok(null, "car", "show", carId.ToString(CultureInfo.InvariantCulture), "--node", mgmt, "--json"));
        Assert.True(carJson.GetProperty("has_data").GetBoolean());
        Assert.Equal(data.Valid.Count(e => e.CarId == carId), carJson.GetProperty("samples").GetInt64());
        Assert.StartsWith(self, carJson.GetProperty("actor_path").GetString());
        Assert.Contains("speed", (await Ok(null, "car", "show", carId.ToString(CultureInfo.InvariantCulture), "--node", mgmt)).Stdout);
        var empty = await Ok(null, "car", "show", "987654321", "--node", mgmt);
        Assert.Contains("no data", empty.Stdout);

        // window show
        var windows = Json(await Ok(null, "window", "show", "--last", "5", "--node", mgmt, "--json"));
        Assert.True(windows.GetArrayLength() > 0);
        Assert.Contains("wrong_gear", (await Ok(null, "window", "show", "--node", mgmt)).Stdout);

        // kafka lag: everything processed is eventually committed.
        JsonElement lag = default;
        await Eventually(async () =>
        {
            lag = Json(await Ok(null, "kafka", "lag", "--node", mgmt, "--json"));
            return lag.GetProperty("total_lag").GetInt64() == 0;
        }, "lag drains to zero");
        Assert.Equal(12, lag.GetProperty("partitions").GetArrayLength());
        Assert.Equal(data.Messages().Count(), lag.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("log_end").GetInt64()));
        var lagText = (await Ok(null, "kafka", "lag", "--node", mgmt)).Stdout;
        Assert.Contains("total lag 0", lagText);
        Assert.Contains("this node's consumer: fetching", lagText);
        Assert.Contains("no stall now, 0 stalls so far", lagText);
        Assert.Equal(0, lag.GetProperty("consumer").GetProperty("stalls").GetInt64());

        // Token enforcement: missing and wrong tokens are refused (exit 4, 401), the right one works.
        var missing = await TrafficCli.RunAsync(null, "cluster", "down-unreachable", "--node", mgmt);
        Assert.Equal(ExitCodes.Refused, missing.ExitCode);
        Assert.Contains("401", missing.Stderr);
        var wrong = await TrafficCli.RunAsync("not-the-token", "cluster", "down-unreachable", "--node", mgmt);
        Assert.Equal(ExitCodes.Refused, wrong.ExitCode);
        Assert.DoesNotContain("not-the-token", wrong.Stderr + wrong.Stdout);
        Assert.Contains("nothing to do", (await Ok(Token, "cluster", "down-unreachable", "--node", mgmt)).Stdout);
        var noMember = await TrafficCli.RunAsync(Token, "cluster", "down", "akka.tcp://traffic@127.0.0.1:1", "--node", mgmt);
        Assert.Equal(ExitCodes.Error, noMember.ExitCode);

        // Last: the node leaves the cluster on request.
        var leave = await Ok(Token, "cluster", "leave", self, "--node", mgmt, "--json");
        Assert.Equal("leave", Json(leave).GetProperty("action").GetString());
        await Eventually(() => Task.FromResult(Akka.Cluster.Cluster.Get(node.ActorSystem).IsTerminated || node.ActorSystem.WhenTerminated.IsCompleted), "node left");
    }

    [Fact]
    public async Task Without_token_changes_are_forbidden_and_without_reference_data_the_node_is_not_ready()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, NodeHocon + "\ntraffic.reference.folder = \"" + Path.Combine(dir.Path, "missing") + "\"") with
        {
            AdminToken = new AdminToken(null),
        });
        using var http = new HttpClient();
        foreach (var url in new[] { node.ManagementUrl, node.BaseUrl })
        {
            var ready = await http.GetAsync(url + "/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("not_ready", body.GetProperty("status").GetString());
            var failed = body.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean()).Select(c => c.GetProperty("name").GetString()).ToArray();
            Assert.Contains("reference_data", failed);
        }

        var refused = await TrafficCli.RunAsync(Token, "cluster", "down-unreachable", "--node", node.ManagementUrl);
        Assert.Equal(ExitCodes.Refused, refused.ExitCode);
        Assert.Contains("403", refused.Stderr);
        Assert.Contains(AdminToken.EnvironmentVariable, refused.Stderr);
    }

    [Fact]
    public async Task Unreachable_node_and_bad_usage_have_their_own_exit_codes()
    {
        var down = await TrafficCli.RunAsync(null, "cluster", "show", "--node", "http://127.0.0.1:1");
        Assert.Equal(ExitCodes.Unreachable, down.ExitCode);
        var line = Assert.Single(down.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unreachable", line);
        Assert.Empty(down.Stdout);

        Assert.Equal(ExitCodes.Usage, (await TrafficCli.RunAsync(null, "car", "show", "not-a-number")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await TrafficCli.RunAsync(null, "cluster", "leave")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await TrafficCli.RunAsync(null, "window", "show", "--node", "not a url")).ExitCode);
    }

    private async Task<TrafficCli.Result> Ok(string? token, params string[] args)
    {
        var r = await TrafficCli.RunAsync(token, args);
        output.WriteLine($"$ traffic {string.Join(' ', args)} -> {r.ExitCode}\n{r.Stdout}{r.Stderr}");
        Assert.True(r.ExitCode == ExitCodes.Ok, $"traffic {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return r;
    }

    private static JsonElement Json(TrafficCli.Result r) => JsonDocument.Parse(r.Stdout).RootElement;

    /// <summary>Prometheus text format: sample name (with labels) to value; comments skipped.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient http, string mgmt) =>
        PrometheusText.Parse(await http.GetStringAsync(mgmt + "/metrics"));

    private static Task Eventually(Func<Task<bool>> condition, string what) =>
        Poll.Until(condition, TimeSpan.FromSeconds(30), what, TimeSpan.FromMilliseconds(100));
}
