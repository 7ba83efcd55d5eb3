using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Failover;

/// <summary>
/// Three node processes, a web node and a standalone broker on loopback, with telemetry flowing the whole time.
/// Nodes die or leave; afterwards the persisted windows must equal exactly the distinct alerting events produced.
/// </summary>
[Trait(Tier.Name, Tier.Cluster)]
public sealed class ClusterFailoverTests(ITestOutputHelper testOutput)
{
    private const int Fleet = 300;

    private readonly ITestOutputHelper output = new ProgressOutput(testOutput, "failover");

    // The oracle restates the stateless rules; a moved car legitimately forgets its stateful-rule memory. Windows stay
    // open for the whole test so no alert is counted as late.
    private const string Hocon = """
        traffic.rules.harsh-braking.enabled = off
        traffic.rules.sustained-overspeed.enabled = off
        traffic.windows.allowed-lateness = 10m
        """;

    /// <summary>
    /// One cluster through every kind of membership change, so the suite pays for the start-up once: a node killed
    /// with SIGKILL (and restarted), a graceful leave, then a rolling restart of every node. The windows are checked
    /// exactly after the crash and again at the end.
    /// </summary>
    [Fact]
    public async Task Nothing_is_lost_or_doubled_when_a_node_is_killed_one_leaves_and_all_restart_in_turn()
    {
        var started = Stopwatch.StartNew();
        using var cluster = TestCluster.Start(testOutput, 3, Hocon, Fleet);
        output.WriteLine($"cluster up in {started.Elapsed.TotalSeconds:F0} s");
        try
        {
            // Steady state: the consumer group has settled (every partition owned by exactly one node) and every car
            // shard lives on the node that owns its partition. On a loaded machine the group can take a while to settle.
            await Poll.Until(async () => await PartitionOwners(cluster) is not null, TimeSpan.FromSeconds(90), "consumer group settled");
            var crash = Dataset.Create(8_000, DateTimeOffset.UtcNow, seed: 31, spanSeconds: 40, fleet: Fleet);
            var producing = Produce(cluster, crash, TimeSpan.FromSeconds(40));
            await Poll.Until(() => ShardsFollowPartitions(cluster), TimeSpan.FromSeconds(30), "car shards next to their partitions");
            var before = await CarSamples(cluster);
            await Task.Delay(TimeSpan.FromSeconds(6)); // the measuring span of the steady state
            var after = await CarSamples(cluster);
            var samples = after.Samples - before.Samples;
            var remote = after.Remote - before.Remote;
            output.WriteLine($"steady state: {remote} of {samples} samples crossed nodes ({100.0 * remote / Math.Max(1, samples):F2}%)");
            Assert.True(samples > 0, "no samples processed in steady state");
            Assert.True(remote <= samples * 0.05, $"{remote} of {samples} samples crossed nodes; car shards should sit next to their partitions");

            // SIGKILL: removed by the failure detector and the split brain resolver, its shards and partitions move.
            var victim = cluster.Nodes[1];
            var survivors = cluster.Nodes.Where(n => n != victim).ToArray();
            var processedBefore = await Processed(survivors);
            var clock = Stopwatch.StartNew();
            cluster.Kill(victim);
            await Poll.Until(
                async () => !(await TestCluster.Members(survivors[0])).Contains(victim.AkkaAddress),
                TimeSpan.FromSeconds(40), $"{victim.Name} removed from the cluster");
            output.WriteLine($"{victim.Name} removed from the cluster {clock.Elapsed.TotalSeconds:F1} s after SIGKILL");
            Assert.True(clock.Elapsed <= TimeSpan.FromSeconds(20), $"removal took {clock.Elapsed.TotalSeconds:F1} s");
            await Poll.Until(async () =>
            {
                var shards = (await TestCluster.GetJson(survivors[0].ManagementUrl + "/sharding/regions/car")).GetProperty("shards").EnumerateArray().ToArray();
                return shards.Length > 0 && shards.All(s => !s.GetProperty("node").GetString()!.Contains($":{victim.AkkaPort}", StringComparison.Ordinal));
            }, TimeSpan.FromSeconds(30), "car shards hosted by survivors only");
            await Poll.Until(async () => await Processed(survivors) > processedBefore + 500, TimeSpan.FromSeconds(30), "survivors processing");
            output.WriteLine($"shards moved and processing continued {clock.Elapsed.TotalSeconds:F1} s after SIGKILL");
            await producing;
            await AssertPartitionsDrained(survivors[0]);
            await AssertWindowsExact(cluster, crash);

            clock.Restart();
            cluster.Restart(victim);
            output.WriteLine($"{victim.Name} back in {clock.Elapsed.TotalSeconds:F1} s");

            var rolling = Dataset.Create(9_000, DateTimeOffset.UtcNow, seed: 37, spanSeconds: 45, fleet: Fleet);
            producing = Produce(cluster, rolling, TimeSpan.FromSeconds(45));
            await Task.Delay(TimeSpan.FromSeconds(3)); // the leave lands mid-stream

            // Graceful leave: drains, hands its shards off, leaves; the others notice at once (no failure detection).
            var leaver = cluster.Nodes[2];
            clock.Restart();
            cluster.Stop(leaver, TimeSpan.FromSeconds(60));
            await cluster.AwaitRemoved(leaver, TimeSpan.FromSeconds(15));
            output.WriteLine($"{leaver.Name} left and exited in {clock.Elapsed.TotalSeconds:F1} s");
            cluster.Restart(leaver);
            await Settled(cluster, $"{leaver.Name} rejoined");

            // Rolling restart, the first seed included. Like an orchestrator's readiness gate, each step waits for the
            // group to settle before the next node stops: stopping a node while the previous one still takes over
            // shards and partitions tests two overlapping restarts, which no rollout does. The node comes back on its
            // old address only once every member has removed the old incarnation.
            foreach (var node in cluster.Nodes)
            {
                clock.Restart();
                cluster.Stop(node, TimeSpan.FromSeconds(60));
                await cluster.AwaitRemoved(node, TimeSpan.FromSeconds(15));
                var stopped = clock.Elapsed;
                cluster.Restart(node);
                output.WriteLine($"{node.Name} restarted in {clock.Elapsed.TotalSeconds:F1} s (left, exited and removed in {stopped.TotalSeconds:F1} s)");
                await Settled(cluster, $"{node.Name} restarted");
            }

            await Poll.Until(
                async () => (await TestCluster.Members(cluster.Web)).Count == cluster.Nodes.Count + 1,
                TimeSpan.FromSeconds(30), "every node back in the cluster");
            await producing;
            await AssertPartitionsDrained(cluster.Nodes[0]);
            await AssertWindowsExact(cluster, Dataset.Union(crash, rolling));
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    /// <summary>
    /// Produces the dataset evenly over <paramref name="span"/>, like a fleet sending telemetry: each chunk is due
    /// at a fixed time, so slow acknowledgements on a loaded machine do not stretch the span.
    /// </summary>
    private static Task Produce(TestCluster cluster, Dataset data, TimeSpan span) => Task.Run(async () =>
    {
        var chunks = data.Messages().Chunk(100).ToArray();
        var pause = span / chunks.Length;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < chunks.Length; i++)
        {
            await KafkaTestClient.ProduceAllAsync(cluster.Bootstrap, "raw-data", chunks[i]);
            var due = pause * (i + 1);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
        }
    });

    /// <summary>Every node ready and holding raw-data partitions, each partition with exactly one owner.</summary>
    private static Task Settled(TestCluster cluster, string after) =>
        Poll.Until(async () => await PartitionOwners(cluster) is not null, TimeSpan.FromSeconds(60), $"consumer group settled after {after}");

    /// <summary>
    /// Which node (by Akka port) consumes each raw-data partition, from the nodes' readiness reports; null until the
    /// group has settled: every node holds partitions and each partition has exactly one owner.
    /// </summary>
    private static async Task<Dictionary<string, int>?> PartitionOwners(TestCluster cluster)
    {
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in cluster.Nodes)
        {
            if (await TestCluster.RawDataPartitions(n.ManagementUrl) is not { } consumed) return null;
            foreach (var p in consumed)
                if (!owner.TryAdd(p, n.AkkaPort)) return null;
        }

        var partitions = (await TestCluster.GetJson(cluster.Nodes[0].ManagementUrl + "/kafka/lag")).GetProperty("partitions").GetArrayLength();
        return owner.Count == partitions ? owner : null;
    }

    /// <summary>True when each car shard (shard id = raw-data partition) is hosted by the node consuming that partition.</summary>
    private static async Task<bool> ShardsFollowPartitions(TestCluster cluster)
    {
        if (await PartitionOwners(cluster) is not { } owner) return false;
        var shards = (await TestCluster.GetJson(cluster.Nodes[0].ManagementUrl + "/sharding/regions/car")).GetProperty("shards").EnumerateArray().ToArray();
        return shards.Length > 0 && shards.All(s =>
            owner.TryGetValue(s.GetProperty("shard_id").GetString()!, out var port)
            && s.GetProperty("node").GetString()!.EndsWith($":{port}", StringComparison.Ordinal));
    }

    private static async Task<(long Samples, long Remote)> CarSamples(TestCluster cluster)
    {
        long samples = 0, remote = 0;
        foreach (var n in cluster.Nodes)
        {
            var stats = await TestCluster.GetJson(n.ApiUrl + "/api/stats");
            samples += stats.GetProperty("car_samples").GetInt64();
            remote += stats.GetProperty("car_samples_remote").GetInt64();
        }

        return (samples, remote);
    }

    private static async Task<long> Processed(IEnumerable<ClusterNode> nodes)
    {
        long total = 0;
        foreach (var n in nodes) total += (await TestCluster.GetJson(n.ApiUrl + "/api/stats")).GetProperty("processed").GetInt64();
        return total;
    }

    /// <summary>Every raw-data partition is owned by a live consumer that read it to the end and committed.</summary>
    private async Task AssertPartitionsDrained(ClusterNode node)
    {
        JsonElement lag = default;
        await Poll.Until(async () =>
        {
            lag = await TestCluster.GetJson(node.ManagementUrl + "/kafka/lag");
            return lag.GetProperty("partitions").EnumerateArray().All(p => p.GetProperty("lag").GetInt64() == 0);
        }, TimeSpan.FromSeconds(90), "consumer lag 0 on every partition");
        output.WriteLine($"lag 0 on {lag.GetProperty("partitions").GetArrayLength()} partitions");
    }

    private async Task AssertWindowsExact(TestCluster cluster, Dataset data)
    {
        var expected = data.ExpectedWindows();
        var total = expected.Values.Sum(v => v.Count);
        using var http = new HttpClient { BaseAddress = new Uri(cluster.Web.ApiUrl), Timeout = TimeSpan.FromSeconds(10) };
        JsonElement[] windows = [];
        await Poll.Until(async () =>
        {
            windows = (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!;
            return windows.Sum(w => w.GetProperty("alerts").GetInt64()) >= total;
        }, TimeSpan.FromSeconds(60), $"{total} alerts in the windows");
        await Task.Delay(2000); // anything counted twice would show up now

        windows = (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!;
        foreach (var w in windows)
            output.WriteLine($"window {w.GetProperty("window_start")}: {w.GetProperty("alerts")} (expected {expected.GetValueOrDefault(w.GetProperty("window_start").GetDateTimeOffset())?.Count})");
        Assert.Equal(expected.Count, windows.Length);
        foreach (var w in windows) Dataset.AssertWindow(w, expected[w.GetProperty("window_start").GetDateTimeOffset()], Fleet);
        var duplicates = 0L;
        foreach (var n in cluster.Nodes.Where(n => n.Process is not null)) duplicates += (await TestCluster.GetJson(n.ApiUrl + "/api/stats")).GetProperty("window_duplicates").GetInt64();
        output.WriteLine($"windows exact: {total} alerts in {windows.Length} windows ({duplicates} redeliveries recognised by the running nodes)");
    }
}
