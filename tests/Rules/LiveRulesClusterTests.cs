using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrafficActors.Domain;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Rules;

/// <summary>
/// Three node processes, a web node, a standalone broker and the reference bucket on S3, with telemetry flowing while
/// <c>traffic rules set</c> puts a new overspeed threshold in force. Nothing restarts; every alert says which version
/// judged it, so alert-data itself shows the exact event at which each car's alerts change.
/// </summary>
[Trait(Tier.Name, Tier.Cluster)]
public sealed class LiveRulesClusterTests(ITestOutputHelper testOutput)
{
    private const int Fleet = 300;
    private const int Cars = 60;
    private const string NewVersion = "2026-12-07.1";

    // Seed thresholds in HOCON (version "default"): overspeed above 120 km/h.
    private const double DefaultLimit = 120;
    private const double NewLimit = 100;
    private const double ModelLimit = 130;

    // Every event breaks wrong-gear (gear 1 where 4 is expected), so every event is an alert and names its version;
    // speeds alternate around the thresholds so the overspeed verdict tells the versions apart.
    private static readonly double[] Speeds = [110, 125];
    private const int Gear = 1;
    private const int Rpm = 3000;
    private static readonly TimeSpan EventEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Feed = TimeSpan.FromSeconds(14);
    private static readonly TimeSpan ChangeAfter = TimeSpan.FromSeconds(5);

    private readonly ITestOutputHelper output = new ProgressOutput(testOutput, "live-rules");

    [Fact]
    public async Task A_new_overspeed_threshold_takes_effect_on_every_node_at_one_event_per_car_without_a_restart()
    {
        var token = "admin-" + Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();
        using var cluster = TestCluster.Start(testOutput, 3, "", Fleet, new TestClusterOptions
        {
            S3Bucket = "live-rules",
            Environment = new Dictionary<string, string>
            {
                ["TRAFFIC_ADMIN_TOKEN"] = token,
                ["TRAFFIC_RULES_POLL_INTERVAL"] = "500ms",
            },
        });
        output.WriteLine($"cluster up in {clock.Elapsed.TotalSeconds:F0} s");
        try
        {
            var nodes = cluster.Nodes;
            var pids = nodes.ToDictionary(n => n.Name, n => n.Process!.Id);
            foreach (var n in nodes.Append(cluster.Web)) Assert.Equal(RuleSet.DefaultVersion, await RulesVersion(n));
            // Every node consumes raw-data, so the cars (placed next to their partitions) spread over all three.
            await Poll.Until(async () => (await Task.WhenAll(nodes.Select(HoldsPartitions))).All(x => x), TimeSpan.FromSeconds(90), "every node consuming raw-data");

            var fleet = SeedFleet.Snapshot(Fleet);
            var cars = SeedFleet.Cars(Fleet).Take(Cars).Select(c => fleet.Lookup(c.CarId)!).ToArray();
            var special = cars[0];
            var specialModel = $"{special.BrandName} {special.ModelName}";
            var document = Path.Combine(Path.GetTempPath(), $"rules-{Guid.NewGuid():N}.json");
            File.WriteAllText(document, $$"""
                { "version": "{{NewVersion}}",
                  "rules":  { "overspeed": { "speed-above": {{NewLimit}} } },
                  "models": { "{{specialModel}}": { "overspeed": { "speed-above": {{ModelLimit}} } } } }
                """);

            var start = DateTimeOffset.UtcNow;
            var feeding = Produce(cluster.Bootstrap, cars, start);
            await Task.Delay(ChangeAfter);
            using (var set = TrafficProcess.Start($"rules set {document} --node {nodes[1].ManagementUrl}", new Dictionary<string, string> { ["TRAFFIC_ADMIN_TOKEN"] = token }))
            {
                Assert.True(set.WaitForExit(TimeSpan.FromSeconds(30)), "traffic rules set did not finish");
                output.WriteLine(set.Output);
                Assert.Equal(0, set.ExitCode);
                Assert.Contains($"rules version {NewVersion} stored in s3://live-rules/rules.json", set.Output);
            }

            var changed = Stopwatch.StartNew();
            await Poll.Until(async () => (await Task.WhenAll(nodes.Append(cluster.Web).Select(RulesVersion))).All(v => v == NewVersion),
                TimeSpan.FromSeconds(10), $"version {NewVersion} in force on every node");
            output.WriteLine($"{NewVersion} in force on every node {changed.Elapsed.TotalSeconds:F1} s after traffic rules set");
            // Every car must show both versions below: the change landed while the telemetry flowed.
            var produced = await feeding;

            var alerts = await ReadAlerts(cluster.Bootstrap, produced.Count);
            Assert.Equal(produced.Keys.Order(), alerts.Keys.Order());

            // Each alert's verdict is exactly the one its version gives for its readings (the model override included).
            foreach (var (id, alert) in alerts)
            {
                var version = alert.GetProperty("rules_version").GetString();
                var model = $"{alert.GetProperty("brand_name").GetString()} {alert.GetProperty("model_name").GetString()}";
                var speed = alert.GetProperty("speed").GetDouble();
                var limit = version switch
                {
                    RuleSet.DefaultVersion => DefaultLimit,
                    NewVersion => model == specialModel ? ModelLimit : NewLimit,
                    _ => throw new Xunit.Sdk.XunitException($"{id}: unexpected rules_version '{version}'"),
                };
                string[] expected = speed > limit ? ["overspeed", "wrong_gear"] : ["wrong_gear"];
                Assert.Equal(expected, alert.GetProperty("violations").EnumerateArray().Select(v => v.GetString()!).ToArray());
            }

            // Per car, in event order: the old version up to one event, the new one from the next on, never back.
            var switches = new Dictionary<long, DateTimeOffset>();
            foreach (var car in alerts.Values.GroupBy(a => a.GetProperty("car_id").GetInt64()))
            {
                var versions = car.OrderBy(a => a.GetProperty("event_time").GetDateTimeOffset()).Select(a => (Version: a.GetProperty("rules_version").GetString(), Time: a.GetProperty("event_time").GetDateTimeOffset())).ToArray();
                var first = Array.FindIndex(versions, v => v.Version == NewVersion);
                Assert.True(first > 0, $"car {car.Key}: {(first < 0 ? "never judged by the new version" : "judged by the new version from its first event")}");
                Assert.All(versions[..first], v => Assert.Equal(RuleSet.DefaultVersion, v.Version));
                Assert.All(versions[first..], v => Assert.Equal(NewVersion, v.Version));
                switches[car.Key] = versions[first].Time;
            }

            // Which node judged each car: its actor's address. Every node switched its own cars.
            var hosts = new Dictionary<string, List<long>>();
            foreach (var car in cars)
            {
                var view = await TestCluster.GetJson($"{nodes[0].ManagementUrl}/cars/{car.CarId.ToString(CultureInfo.InvariantCulture)}");
                var path = view.GetProperty("actor_path").GetString()!;
                var node = nodes.Single(n => path.Contains($":{n.AkkaPort}/", StringComparison.Ordinal));
                (hosts.TryGetValue(node.Name, out var list) ? list : hosts[node.Name] = []).Add(car.CarId);
            }

            foreach (var n in nodes)
            {
                Assert.True(hosts.TryGetValue(n.Name, out var hosted) && hosted.Count > 0, $"{n.Name} judged no car");
                var times = hosted.Select(c => switches[c]).Order().ToArray();
                output.WriteLine($"{n.Name}: {hosted.Count} cars switched to {NewVersion} at events from {times[0]:HH:mm:ss.fff} to {times[^1]:HH:mm:ss.fff}");
                Assert.Contains($"Rules version {NewVersion} in force", n.Process!.Output);
            }

            // Without a restart: the same processes, each up once.
            foreach (var n in nodes)
            {
                Assert.False(n.Process!.HasExited);
                Assert.Equal(pids[n.Name], n.Process.Id);
                Assert.Single(n.Process.Output.Split('\n'), l => l.Contains("Node up:", StringComparison.Ordinal));
            }

            output.WriteLine($"{alerts.Count} alerts, each judged exactly by the version it names");
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    private static async Task<string?> RulesVersion(ClusterNode node) =>
        (await TestCluster.GetJson(node.ApiUrl + "/api/info")).GetProperty("rules").GetProperty("version").GetString();

    private static async Task<bool> HoldsPartitions(ClusterNode node)
    {
        var ready = await TestCluster.GetJson(node.ManagementUrl + "/ready");
        return ready.GetProperty("checks").EnumerateArray().Any(c =>
            c.GetProperty("name").GetString() == "kafka_partitions" && c.GetProperty("ok").GetBoolean()
            && c.GetProperty("detail").GetString()!.Contains("raw-data ", StringComparison.Ordinal));
    }

    /// <summary>Each car's telemetry in real time for <see cref="Feed"/>; returns every event sent, by id.</summary>
    private static Task<Dictionary<string, RawEvent>> Produce(string bootstrap, IReadOnlyList<CarInfo> cars, DateTimeOffset start) => Task.Run(async () =>
    {
        var sent = new Dictionary<string, RawEvent>();
        var ticks = (int)(Feed / EventEvery);
        var clock = Stopwatch.StartNew();
        for (var t = 0; t < ticks; t++)
        {
            var batch = cars.Select(c => new RawEvent(
                Guid.NewGuid().ToString(), start + (EventEvery * t), c.CarId, Speeds[t % Speeds.Length], Rpm, Gear)).ToArray();
            await KafkaTestClient.ProduceAllAsync(bootstrap, "raw-data", batch.Select(e => ((byte[]?)WireFormat.CarKey(e.CarId), WireFormat.ToJson(e))));
            foreach (var e in batch) sent[e.EventId] = e;
            var due = EventEvery * (t + 1);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
        }

        return sent;
    });

    /// <summary>Every alert on alert-data by event id (a redelivered event must carry the same verdict).</summary>
    private static async Task<Dictionary<string, JsonElement>> ReadAlerts(string bootstrap, int expected)
    {
        var alerts = new Dictionary<string, JsonElement>();
        await Poll.Until(() =>
        {
            alerts.Clear();
            foreach (var r in KafkaTestClient.ReadTopic(bootstrap, "alert-data", read => read.Count >= expected, TimeSpan.FromSeconds(20)))
            {
                var alert = JsonDocument.Parse(r.Message.Value!).RootElement.Clone();
                var id = alert.GetProperty("event_id").GetString()!;
                if (alerts.TryGetValue(id, out var seen))
                    Assert.Equal(seen.GetProperty("violations").GetRawText(), alert.GetProperty("violations").GetRawText());
                alerts[id] = alert;
            }

            return Task.FromResult(alerts.Count >= expected);
        }, TimeSpan.FromSeconds(60), $"{expected} alerts on alert-data");
        return alerts;
    }
}
