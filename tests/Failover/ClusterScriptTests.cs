using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrafficActors.Domain;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Failover;

/// <summary>
/// The operator's script on a 3-node local cluster: new rules put in force with <c>cluster.sh rules set</c> while
/// telemetry flows, then a node killed and restarted with <c>cluster.sh kill</c> / <c>restart</c>; event-time windows
/// closed and published, the car drill-down and the dead letters checked on the same cluster.
/// </summary>
[Trait(Tier.Name, Tier.Cluster)]
public sealed class ClusterScriptTests(ITestOutputHelper testOutput)
{
    private const int Fleet = 200;
    private const int Cars = 60;
    private const string NewVersion = "2026-12-07.1";

    // Overspeed above 120 km/h in HOCON (version "default"); the new version lowers it, and raises it for one model.
    private const double DefaultLimit = 120;
    private const double NewLimit = 100;
    private const double ModelLimit = 130;

    // Every event breaks wrong-gear (gear 1 where 4 is expected), so every event is an alert naming its version;
    // speeds alternate around the thresholds so the overspeed verdict tells the versions apart.
    private static readonly double[] Speeds = [110, 125];
    private const int Gear = 1;
    private const int Rpm = 3000;
    private static readonly TimeSpan EventEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Feed = TimeSpan.FromSeconds(22);

    // Rejected by the ingest stream and dead-lettered with its reason.
    private const string Poison = """{"event_id":"poison-1","event_time":"2026-12-07T10:00:00Z","car_id":"not-a-number","speed":50,"rpm":2000,"gear":2}""";

    private readonly ITestOutputHelper output = new ProgressOutput(testOutput, "cluster-script");

    /// <summary>
    /// The README's local-cluster steps. While telemetry flows, <c>cluster.sh rules set</c> lowers the overspeed
    /// threshold: every alert on alert-data is judged exactly by the version it names, and each car's alerts change at
    /// one event, on every node, without a restart. Then node 2 is killed and restarted by the script: it comes back
    /// on the cluster's journal and with the new rules, and once the lag is 0 the windows hold exactly the alerting
    /// events on alert-data (read from the topic, not from our own counters).
    /// </summary>
    [Fact]
    public async Task Rules_changed_live_and_a_node_restarted_by_the_script_keep_alert_data_and_the_windows_exact()
    {
        using var dir = new TempDir();
        var cluster = Path.Combine(dir.Path, "cluster");
        // A killed node's cars forget their stateful-rule memory, so a redelivered event may legitimately be judged
        // differently; stateless rules keep alert-data and the windows comparable event by event.
        var config = Path.Combine(dir.Path, "node.conf");
        // Short event-time windows, so several close during the run (by the cluster's watermark) and are published.
        File.WriteAllText(config, """
            traffic.rules.harsh-braking.enabled = off
            traffic.rules.sustained-overspeed.enabled = off
            traffic.windows.length = 5s
            traffic.windows.allowed-lateness = 2s
            traffic.windows.idle-timeout = 3s
            """);
        var token = "admin-" + Guid.NewGuid().ToString("N");
        var (akkaBase, httpBase, managementBase) = (Base(), Base(), Base());
        var env = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = cluster,
            ["CLUSTER_AKKA_BASE"] = akkaBase.ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_HTTP_BASE"] = httpBase.ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_MANAGEMENT_BASE"] = managementBase.ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_CARS"] = Fleet.ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_CONFIG"] = config,
            ["TRAFFIC_ADMIN_TOKEN"] = token,
            ["TRAFFIC_RULES_POLL_INTERVAL"] = "500ms",
        };
        var nodes = Enumerable.Range(1, 3)
            .Select(i => (Name: $"node{i}", Akka: akkaBase + i, Api: $"http://127.0.0.1:{httpBase + i}", Management: $"http://127.0.0.1:{managementBase + i}"))
            .ToArray();
        var managementUrl = $"http://127.0.0.1:{managementBase + 1}";
        try
        {
            await RunAsync(env, "start", "3");
            foreach (var n in nodes) Assert.Equal(RuleSet.DefaultVersion, await RulesVersion(n.Api));
            var bootstrap = File.ReadLines(Path.Combine(cluster, "kafka.log"))
                .Select(l => l.IndexOf("Kafka bootstrap: ", StringComparison.Ordinal) is var i and >= 0 ? l[(i + 17)..].Split(' ')[0] : null)
                .First(b => b is not null)!;

            var fleet = SeedFleet.Snapshot(Fleet);
            var cars = SeedFleet.Cars(Fleet).Take(Cars).Select(c => fleet.Lookup(c.CarId)!).ToArray();
            var specialModel = $"{cars[0].BrandName} {cars[0].ModelName}";
            var document = Path.Combine(dir.Path, "rules.json");
            File.WriteAllText(document, $$"""
                { "version": "{{NewVersion}}",
                  "rules":  { "overspeed": { "speed-above": {{NewLimit}} } },
                  "models": { "{{specialModel}}": { "overspeed": { "speed-above": {{ModelLimit}} } } } }
                """);

            // Every node consumes raw-data before telemetry starts, so the cars (placed next to their partitions) spread
            // over all three when the rules change.
            await Poll.Until(async () => (await Task.WhenAll(nodes.Select(n => TestCluster.RawDataPartitions(n.Management)))).All(p => p is not null),
                TimeSpan.FromSeconds(90), "every node consuming raw-data");
            var feeding = Produce(bootstrap, cars);
            await KafkaTestClient.ProduceAllAsync(bootstrap, "raw-data", [(null, System.Text.Encoding.UTF8.GetBytes(Poison))]);
            await Task.Delay(TimeSpan.FromSeconds(4)); // the change lands mid-run
            var set = await RunAsync(env, "rules", "set", document);
            Assert.Contains($"rules version {NewVersion} stored in {Path.Combine(cluster, "rules.json")}", set);
            var clock = Stopwatch.StartNew();
            await Poll.Until(async () => (await Task.WhenAll(nodes.Select(n => RulesVersion(n.Api)))).All(v => v == NewVersion),
                TimeSpan.FromSeconds(10), $"version {NewVersion} in force on every node");
            output.WriteLine($"{NewVersion} in force on every node {clock.Elapsed.TotalSeconds:F1} s after cluster.sh rules set");

            // Which node judges each car now (its actor's address), before the kill moves some of them.
            var host = new Dictionary<long, string>();
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                foreach (var car in cars)
                {
                    var view = JsonDocument.Parse(await http.GetStringAsync($"{managementUrl}/cars/{car.CarId.ToString(CultureInfo.InvariantCulture)}")).RootElement;
                    var path = view.GetProperty("actor_path").GetString()!;
                    host[car.CarId] = nodes.Single(n => path.Contains($":{n.Akka}/", StringComparison.Ordinal)).Name;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(3)); // the kill lands mid-run, with events in flight
            await RunAsync(env, "kill", "2");
            await Task.Delay(TimeSpan.FromSeconds(4)); // down for a while, as after a crash, while telemetry goes on
            await RunAsync(env, "restart", "2");
            var produced = await feeding;

            // A node on a journal of its own would have been refused (and the script would have failed above).
            var node2Log = File.ReadAllText(Path.Combine(cluster, "node2.log"));
            Assert.Contains("Node up:", node2Log);
            Assert.Contains($"Rules version {NewVersion} in force", node2Log);
            Assert.False(File.Exists(Path.Combine(cluster, "node2", "traffic.db")), "the restarted node opened a journal of its own");
            Assert.True(File.Exists(Path.Combine(cluster, "traffic.db")));
            Assert.Contains("TRAFFIC_DB_PROVIDER=sqlite", File.ReadAllText(Path.Combine(cluster, "journal.env")));

            // A partition none of the cars' keys fall in has nothing to commit.
            await Poll.Until(() => Task.FromResult(KafkaTestClient.GroupOffsets(bootstrap, "traffic-actors", "raw-data").All(p => p.End == 0 || p.Committed == p.End)),
                TimeSpan.FromSeconds(120), "consumer lag 0");
            var records = KafkaTestClient.GroupOffsets(bootstrap, "none-" + Guid.NewGuid().ToString("N"), "alert-data").Sum(p => p.End);
            var alerts = KafkaTestClient.ReadTopic(bootstrap, "alert-data", read => read.Count >= records, TimeSpan.FromSeconds(60))
                .Select(r => (r.Partition.Value, r.Offset.Value, Alert: JsonDocument.Parse(r.Message.Value!).RootElement.Clone()))
                .ToArray();
            var alerting = alerts.Select(a => a.Alert.GetProperty("event_id").GetString()!).Distinct().ToArray();
            Assert.Equal(produced.Order(), alerting.Order());

            AssertJudgedByTheirVersion(alerts.Select(a => a.Alert), specialModel);
            var switches = AssertOneSwitchPerCar(alerts);
            foreach (var n in nodes)
            {
                var times = host.Where(h => h.Value == n.Name).Select(h => switches[h.Key]).Order().ToArray();
                Assert.True(times.Length > 0, $"{n.Name} judged none of the cars when the rules changed");
                output.WriteLine($"{n.Name}: {times.Length} cars switched to {NewVersion} at events from {times[0]:HH:mm:ss.fff} to {times[^1]:HH:mm:ss.fff}");
            }

            // Nodes 1 and 3 were never restarted: the change reached them live.
            foreach (var i in new[] { 1, 3 })
                Assert.Single(File.ReadAllLines(Path.Combine(cluster, $"node{i}.log")), l => l.Contains("Node up:", StringComparison.Ordinal));

            using var client = new HttpClient();
            long counted = 0;
            try
            {
                await Poll.Until(async () =>
                {
                    var windows = JsonDocument.Parse(await client.GetStringAsync($"http://127.0.0.1:{httpBase}/api/windows?last=30")).RootElement;
                    counted = windows.EnumerateArray().Sum(w => w.GetProperty("alerts").GetInt64() + w.GetProperty("late").GetInt64());
                    return counted == alerting.Length;
                }, TimeSpan.FromSeconds(60), "windows equal alert-data");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}: windows hold {counted}, alert-data {alerting.Length} distinct alerting events", e);
            }

            output.WriteLine($"{records} alert records, {alerting.Length} distinct alerting events, {counted} counted in the windows");

            await AssertClosedWindowsPublishedOnce(bootstrap, $"http://127.0.0.1:{httpBase}");
            await AssertCarDrillDown($"http://127.0.0.1:{httpBase}", cars[1], nodes.Select(n => n.Akka).ToArray());
            using var dlq = TrafficProcess.Start($"dlq show --kafka-bootstrap {bootstrap} --json");
            Assert.True(dlq.WaitForExit(TimeSpan.FromSeconds(30)) && dlq.ExitCode == 0, dlq.Output);
            Assert.Contains("poison-1", dlq.Output);
        }
        catch
        {
            foreach (var log in Directory.Exists(cluster) ? Directory.GetFiles(cluster, "*.log") : [])
                output.WriteLine($"--- {Path.GetFileName(log)} ---\n{string.Join('\n', File.ReadLines(log).TakeLast(80))}");
            throw;
        }
        finally
        {
            await RunAsync(env, "stop");
        }
    }

    /// <summary>
    /// The windows the cluster's event-time watermark closed are each on alert-windows under their start, with the
    /// figures /api/windows shows. A node killed just after a window's record was acknowledged but before it noted
    /// that may produce it again with the same key and figures (compaction keeps one), never different figures.
    /// </summary>
    private async Task AssertClosedWindowsPublishedOnce(string bootstrap, string webUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        JsonElement[] closed = [];
        Dictionary<string, JsonElement[]> published = [];
        await Poll.Until(async () =>
        {
            closed = JsonDocument.Parse(await http.GetStringAsync($"{webUrl}/api/windows?last=30")).RootElement.EnumerateArray()
                .Where(w => w.GetProperty("closed").GetBoolean()).ToArray();
            var keys = closed.Select(w => WindowResultJson.Key(w.GetProperty("window_start").GetDateTimeOffset())).ToHashSet();
            published = KafkaTestClient.ReadTopic(bootstrap, "alert-windows", r => r.Count >= keys.Count, TimeSpan.FromSeconds(3))
                .GroupBy(r => System.Text.Encoding.UTF8.GetString(r.Message.Key!))
                .ToDictionary(g => g.Key, g => g.Select(r => JsonDocument.Parse(r.Message.Value!).RootElement.Clone()).ToArray());
            return closed.Length >= 2 && keys.SetEquals(published.Keys);
        }, TimeSpan.FromSeconds(30), "every closed window published to alert-windows");

        foreach (var w in closed)
        {
            var records = published[WindowResultJson.Key(w.GetProperty("window_start").GetDateTimeOffset())];
            Assert.All(records, r =>
            {
                Assert.True(r.GetProperty("closed").GetBoolean());
                Assert.Equal(w.GetProperty("alerts").GetInt64(), r.GetProperty("alerts").GetInt64());
                Assert.Equal(Counts(w.GetProperty("by_rule")), Counts(r.GetProperty("by_rule")));
            });
        }

        output.WriteLine($"{closed.Length} windows closed by the watermark, each on alert-windows ({published.Values.Sum(r => r.Length)} records)");
    }

    private static SortedDictionary<string, long> Counts(JsonElement map) =>
        new(map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()), StringComparer.Ordinal);

    /// <summary>The web node's drill-down of a car judged on some processing node; an unknown or malformed id is refused.</summary>
    private static async Task AssertCarDrillDown(string webUrl, CarInfo car, int[] akkaPorts)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var details = JsonDocument.Parse(await http.GetStringAsync($"{webUrl}/api/cars/{car.CarId.ToString(CultureInfo.InvariantCulture)}")).RootElement;
        Assert.Equal(car.ModelName, details.GetProperty("model_name").GetString());
        Assert.Contains(akkaPorts, p => details.GetProperty("node").GetString()!.EndsWith($":{p}", StringComparison.Ordinal));
        Assert.True(details.GetProperty("samples").GetInt64() > 0);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"{webUrl}/api/cars/9999998")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync($"{webUrl}/api/cars/abc")).StatusCode);
    }

    /// <summary>Each alert's verdict is exactly the one its version gives for its readings (the model override included).</summary>
    private static void AssertJudgedByTheirVersion(IEnumerable<JsonElement> alerts, string specialModel)
    {
        foreach (var alert in alerts)
        {
            var version = alert.GetProperty("rules_version").GetString();
            var model = $"{alert.GetProperty("brand_name").GetString()} {alert.GetProperty("model_name").GetString()}";
            var limit = version switch
            {
                RuleSet.DefaultVersion => DefaultLimit,
                NewVersion => model == specialModel ? ModelLimit : NewLimit,
                _ => throw new Xunit.Sdk.XunitException($"{alert.GetProperty("event_id")}: unexpected rules_version '{version}'"),
            };
            string[] expected = alert.GetProperty("speed").GetDouble() > limit ? ["overspeed", "wrong_gear"] : ["wrong_gear"];
            Assert.Equal(expected, alert.GetProperty("violations").EnumerateArray().Select(v => v.GetString()!).ToArray());
        }
    }

    /// <summary>
    /// Per car, in the order its alerts were written (one partition, by offset; a redelivered event comes again later):
    /// the old version up to one event, the new one from the next on, never back. Returns each car's first event under
    /// the new version.
    /// </summary>
    private static Dictionary<long, DateTimeOffset> AssertOneSwitchPerCar(IEnumerable<(int Partition, long Offset, JsonElement Alert)> alerts)
    {
        var switches = new Dictionary<long, DateTimeOffset>();
        foreach (var car in alerts.GroupBy(a => a.Alert.GetProperty("car_id").GetInt64()))
        {
            var written = car.OrderBy(a => a.Offset).Select(a => a.Alert).ToArray();
            Assert.Single(car.Select(a => a.Partition).Distinct());
            var first = Array.FindIndex(written, a => a.GetProperty("rules_version").GetString() == NewVersion);
            Assert.True(first > 0, $"car {car.Key}: {(first < 0 ? "never judged by the new version" : "judged by the new version from its first event")}");
            Assert.All(written[..first], a => Assert.Equal(RuleSet.DefaultVersion, a.GetProperty("rules_version").GetString()));
            Assert.All(written[first..], a => Assert.Equal(NewVersion, a.GetProperty("rules_version").GetString()));
            switches[car.Key] = written[first].GetProperty("event_time").GetDateTimeOffset();
        }

        return switches;
    }

    private static async Task<string?> RulesVersion(string apiUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return JsonDocument.Parse(await http.GetStringAsync(apiUrl + "/api/info")).RootElement.GetProperty("rules").GetProperty("version").GetString();
    }

    /// <summary>Each car's telemetry in real time for <see cref="Feed"/>; returns the ids of every event sent.</summary>
    private static Task<List<string>> Produce(string bootstrap, IReadOnlyList<CarInfo> cars) => Task.Run(async () =>
    {
        var sent = new List<string>();
        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        for (var t = 0; t < (int)(Feed / EventEvery); t++)
        {
            var batch = cars.Select(c => new RawEvent(Guid.NewGuid().ToString(), start + (EventEvery * t), c.CarId, Speeds[t % Speeds.Length], Rpm, Gear)).ToArray();
            await KafkaTestClient.ProduceAllAsync(bootstrap, "raw-data", batch.Select(e => ((byte[]?)WireFormat.CarKey(e.CarId), WireFormat.ToJson(e))));
            sent.AddRange(batch.Select(e => e.EventId));
            var due = EventEvery * (t + 1);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
        }

        return sent;
    });

    /// <summary>Base port of a range the script adds the node index to (0 for the web node, 1..3 here).</summary>
    private static int Base() => FreePorts.Next();

    private async Task<string> RunAsync(IDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("bash", [RepositoryRoot.File("cluster.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Inherit nothing that would pick another journal or rules file.
        psi.Environment.Remove("TRAFFIC_DB_PROVIDER");
        psi.Environment.Remove("TRAFFIC_DB_CONNECTION");
        psi.Environment.Remove("TRAFFIC_RULES_FILE");
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine($"$ cluster.sh {string.Join(' ', args)}\n{await stdout}{await stderr}");
        Assert.True(process.ExitCode == 0, $"cluster.sh {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
