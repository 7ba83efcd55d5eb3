using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using TrafficActors.Domain;
using TrafficActors.Generator;
using TrafficActors.Reference;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using TrafficActors.Web.Dashboard;
using Xunit;
using Xunit.Abstractions;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// A local cluster (standalone broker, three nodes, web node, PostgreSQL, S3) under steady fleet telemetry while a
/// fault schedule runs, then the proof: windows exactly equal to the alerting events Kafka acknowledged, the
/// dead-letter topic exactly the poison sent, every node Up and ready, memory back at its steady level, no
/// unexplained error lines, no secret anywhere. The short run (every fault once, ~3 min) runs in CI and fails by
/// itself rather than hang; set TRAFFIC_SOAK_DURATION (e.g. 30m, see soak.sh) to repeat the schedule for longer.
/// </summary>
[Trait(Tier.Name, Tier.Soak)]
public sealed class SoakTests(ITestOutputHelper testOutput)
{
    private const int Fleet = 300;
    private const double Rate = 300;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(12);
    // Between faults, so a fault's recovery (usually a second or two, the report's last column) mostly falls before
    // the next one starts.
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PoisonEvery = TimeSpan.FromSeconds(4);

    // The 1 MiB poison goes in at most this often: the test broker keeps only ~5 MiB per partition.
    private static readonly TimeSpan OversizedEvery = TimeSpan.FromMinutes(1);

    // Between cycles of a long run: consumer lag this low (two seconds of feed) counts as caught up, waited for at
    // most this long.
    private const long CaughtUpLag = (long)(Rate * 2);
    private static readonly TimeSpan MaxCatchUp = TimeSpan.FromMinutes(3);

    // The short run takes about 3 minutes on 2 cores. Past this it fails with every process's log and the step it
    // was on, well inside the test runner's hang guard (test.sh), which would only say that it hung.
    private static readonly TimeSpan ShortRunDeadline = TimeSpan.FromMinutes(6);

    // Longest a node may consume nothing while its partitions have lag, whatever the fault: a real-time system may
    // slow down under a fault, but a consumer that sits still on waiting work is the stall this run exists to catch.
    private static readonly TimeSpan MaxFlatIngest = TimeSpan.FromSeconds(15);

    private readonly ITestOutputHelper output = new ProgressOutput(testOutput, "soak");

    // Stateless rules only: a killed node's cars legitimately forget their stateful-rule memory, so the oracle could
    // not predict those alerts. Windows stay open for the whole run so nothing is counted late by design.
    private const string Hocon = """
        traffic.rules.harsh-braking.enabled = off
        traffic.rules.sustained-overspeed.enabled = off
        traffic.windows.allowed-lateness = 120m
        traffic.reference.s3.max-backoff = 2s
        """;

    // Error lines the faults themselves cause; anything else at error level fails the run.
    // A restarted node rejoining: the shard coordinator's majority write can outlast its 5 s timeout while the old
    // incarnation is removed and the new one joins; it says so at error level and retries.
    private static readonly string[] KillErrors =
        ["Disassociated", "AskTimeoutException", "Ingest stream failed", "ShardCoordinator was unable to update a distributed state"];
    private static readonly string[] DatabaseErrors = ["Npgsql", "PostgreSQL", "persist", "Persist", "journal", "Journal", "AskTimeoutException", "Ingest stream failed"];
    private static readonly string[] ReferenceErrors = ["Reference data in", "rejected"];

    [Fact]
    public async Task The_cluster_loses_and_doubles_nothing_while_faults_are_injected_under_load()
    {
        var requested = Environment.GetEnvironmentVariable("TRAFFIC_SOAK_DURATION");
        var duration = string.IsNullOrWhiteSpace(requested) ? TimeSpan.Zero : ParseDuration(requested);
        // A long run may take a third longer than asked (start-up, catching up between cycles, the final drain).
        var deadline = duration == TimeSpan.Zero ? ShortRunDeadline : (duration * 4 / 3) + TimeSpan.FromMinutes(20);
        var clock = Stopwatch.StartNew();
        var adminToken = "admin-" + Guid.NewGuid().ToString("N");
        using var cluster = TestCluster.Start(testOutput, 3, Hocon, Fleet, new TestClusterOptions
        {
            S3Bucket = "soak-reference",
            Environment = new Dictionary<string, string>
            {
                ["TRAFFIC_ADMIN_TOKEN"] = adminToken,
                ["TRAFFIC_REFERENCE_POLL_INTERVAL"] = "1s",
            },
        });
        output.WriteLine($"cluster up in {clock.Elapsed.TotalSeconds:F0} s");
        var run = Run(cluster, duration, adminToken);
        if (await Task.WhenAny(run, Task.Delay(deadline - clock.Elapsed)) != run)
        {
            cluster.DumpLogs();
            throw new TimeoutException($"the soak was still running after {deadline.TotalMinutes:F0} min; the last step it reported is the last line before the logs");
        }

        await run;
    }

    private async Task Run(TestCluster cluster, TimeSpan duration, string adminToken)
    {
        var secrets = new[] { cluster.S3!.SecretKey, cluster.Postgres.Password, adminToken };
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var alerts = new AlertWatcher(cluster.Bootstrap, "alert-data");
            using var deadLetters = new DeadLetterWatcher(cluster.Bootstrap, "raw-data-dlq");
            alerts.Start();
            deadLetters.Start();
            using var memory = new MemorySampler(() => cluster.Nodes.Append(cluster.Web)
                .Where(n => n.Process is { HasExited: false }).Select(n => (n.Name, n.Process!.Id, n.ManagementUrl)).ToArray());
            using var progress = new IngestProgressSampler(() => cluster.Nodes);

            var faults = Faults(cluster, http);
            var cycle = WarmUp + faults.Aggregate(TimeSpan.Zero, (t, f) => t + f.Duration + Gap);
            output.WriteLine($"soak: cycles of {faults.Count} faults ({cycle.TotalSeconds:F0} s each) for {duration.TotalMinutes:F1} min, telemetry at {Rate} events/s");

            using var telemetry = new TelemetryFeed(cluster.Bootstrap, new GeneratorSettings { Cars = Fleet, Rate = Rate, Seed = 20261128 });
            using var poison = new PoisonFeed(cluster.Bootstrap, "raw-data", OversizedEvery);
            using var stopFeeds = new CancellationTokenSource();
            var started = DateTime.UtcNow;
            var feeding = telemetry.RunAsync(stopFeeds.Token);
            var poisoning = poison.RunAsync(PoisonEvery, stopFeeds.Token);

            using var lagTrace = new Timer(_ =>
            {
                // Brokers down or web node busy: no figure this time.
                if (TotalLag(cluster.Web).GetAwaiter().GetResult() is { } lag)
                    output.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds,6:F0} s  consumer lag {lag}");
            }, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
            var windows = new List<FaultWindow>();
            for (var c = 0; c == 0 || DateTime.UtcNow - started + cycle <= duration; c++)
            {
                // A cycle starts from a drained backlog: back-to-back cycles on 2 cores would pile up a backlog
                // larger than the test broker keeps (it drops a partition's oldest data beyond ~5 MiB).
                if (c > 0) await CatchUp(cluster, started);
                await Task.Delay(WarmUp);
                foreach (var fault in faults)
                {
                    var from = DateTime.UtcNow;
                    await fault.Inject();
                    await Task.Delay(fault.Duration - (DateTime.UtcNow - from) is { } rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
                    await fault.Heal();
                    windows.Add(new FaultWindow(fault.Name, from, DateTime.UtcNow));
                    output.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds,6:F0} s  {fault.Name}: {(DateTime.UtcNow - from).TotalSeconds:F1} s");
                    await Task.Delay(Gap);
                }
            }

            await Task.Delay(Gap);
            await stopFeeds.CancelAsync();
            await Task.WhenAll(feeding, poisoning);
            var ended = DateTime.UtcNow;
            var runFor = ended - started;

            // Afterwards: every node Up and ready, the backlog drained.
            output.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds,6:F0} s  feeds stopped; waiting for every node to be ready and the backlog to drain");
            foreach (var n in cluster.Nodes.Append(cluster.Web))
            {
                var readiness = "no answer";
                try
                {
                    await Poll.Until(async () =>
                    {
                        using var answer = await http.GetAsync(n.ManagementUrl + "/ready");
                        readiness = await answer.Content.ReadAsStringAsync();
                        return answer.StatusCode == HttpStatusCode.OK;
                    }, TimeSpan.FromSeconds(90), $"{n.Name} ready");
                }
                catch (TimeoutException e)
                {
                    throw new TimeoutException($"{e.Message}; its last /ready answer: {readiness}", e);
                }
            }

            var members = (await TestCluster.GetJson(cluster.Web.ManagementUrl + "/cluster")).GetProperty("members").EnumerateArray().ToArray();
            Assert.Equal(cluster.Nodes.Count + 1, members.Length);
            Assert.All(members, m => Assert.Equal("Up", m.GetProperty("status").GetString()));
            // A long run on a busy machine may end with a backlog; give it time proportional to the run to drain.
            await Poll.Until(async () => await TotalLag(cluster.Nodes[0]) == 0,
                TimeSpan.FromMinutes(2) + (runFor / 3), "consumer lag 0");

            var logs = Environment.GetEnvironmentVariable("TRAFFIC_SOAK_LOGS");
            if (!string.IsNullOrWhiteSpace(logs))
            {
                cluster.SaveLogs(logs);
                output.WriteLine($"process logs in {logs}");
            }

            output.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds,6:F0} s  drained; verifying windows, dead letters, latency and memory");
            var report = await Verify(cluster, http, telemetry, poison, alerts, deadLetters, memory, progress, windows, started, ended);
            var markdown = report.ToMarkdown();
            output.WriteLine(markdown);
            var reportFile = Environment.GetEnvironmentVariable("TRAFFIC_SOAK_REPORT");
            if (!string.IsNullOrWhiteSpace(reportFile)) await File.WriteAllTextAsync(reportFile, markdown);
            Assert.Equal(0, report.Lost);
            Assert.Equal(0, report.Doubled);
            Assert.Equal(0, report.Late);
            var flat = report.FlatIngest.Where(f => f.Length > MaxFlatIngest).ToArray();
            Assert.True(flat.Length == 0, "ingest sat still with lag on its partitions: " + string.Join("; ", flat.Select(f =>
                $"{f.Node} consumed nothing for {f.Length.TotalSeconds:F0} s from {(f.From!.Value - started).TotalSeconds:F0} s into the run ({SoakReport.During(windows, f)})")));

            await SecurityChecks(cluster, http, adminToken, secrets);
            AssertNoUnexpectedErrors(cluster, faults);
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    private IReadOnlyList<SoakFault> Faults(TestCluster cluster, HttpClient http)
    {
        var control = cluster.BrokerControlUrl;
        var victim = cluster.Nodes[1];
        var hogs = new List<Process>();
        return
        [
            new("one broker down", TimeSpan.FromSeconds(10),
                () => http.PostAsync(control + "/brokers/1/down", null), () => http.PostAsync(control + "/brokers/1/up", null), []),
            new("all brokers down", TimeSpan.FromSeconds(10),
                () => http.PostAsync(control + "/brokers/down", null), () => http.PostAsync(control + "/brokers/up", null), []),
            new("node killed (kill -9) and restarted", TimeSpan.FromSeconds(5),
                () =>
                {
                    cluster.Kill(victim);
                    return Task.CompletedTask;
                },
                () => Task.Run(() => cluster.Restart(victim)), KillErrors),
            // With the 1 s reference poll of this run, 12 s of outage is a dozen failed polls and their back-off.
            new("S3 server stopped", TimeSpan.FromSeconds(12),
                () => Task.Run(cluster.S3!.Stop), () => Task.Run(cluster.S3!.Start), []),
            new("bad reference version uploaded", TimeSpan.FromSeconds(6),
                () => UploadBadReference(cluster.S3!), () => Task.Run(() => cluster.InitReferenceData(force: true)), ReferenceErrors),
            new("database stopped", TimeSpan.FromSeconds(10),
                () => Task.Run(cluster.Postgres.Stop), () => Task.Run(cluster.Postgres.Start), DatabaseErrors),
            // Longer than the failure detector tolerates a silent node (~7 s), so a starved node must not be downed.
            new("CPU hog on every core", TimeSpan.FromSeconds(12),
                () =>
                {
                    for (var i = 0; i < Environment.ProcessorCount; i++) hogs.Add(Process.Start("sh", ["-c", "while :; do :; done"]));
                    return Task.CompletedTask;
                },
                () =>
                {
                    foreach (var h in hogs)
                    {
                        h.Kill();
                        h.Dispose();
                    }

                    hogs.Clear();
                    return Task.CompletedTask;
                }, KillErrors),
        ];
    }

    /// <summary>A cars file with a broken row: every node must reject it and keep serving its last good version.</summary>
    private static async Task UploadBadReference(S3Server s3)
    {
        using var bucket = new S3ReferenceBucket(s3.Settings("soak-reference"));
        var cars = ReferenceCsv.WriteCars(SeedFleet.Cars(Fleet)) + "not-a-number,not-a-driver,1,1\n";
        await bucket.UploadAsync(new ReferenceDocument(ReferenceCsv.CarsFile, cars), default);
    }

    /// <summary>Waits (bounded) until the consumers have caught up with the steady feed, and says how long it took.</summary>
    private async Task CatchUp(TestCluster cluster, DateTime started)
    {
        var from = DateTime.UtcNow;
        var caughtUp = true;
        try
        {
            await Poll.Until(async () => await TotalLag(cluster.Web) <= CaughtUpLag, MaxCatchUp, "consumers caught up", TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            caughtUp = false; // the next cycle starts anyway; the final lag check still has to reach 0
        }

        output.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds,6:F0} s  {(caughtUp ? "caught up" : "still behind")} after {(DateTime.UtcNow - from).TotalSeconds:F0} s");
    }

    /// <summary>Total consumer lag as a node reports it; null while it cannot say (brokers down, node busy).</summary>
    private static async Task<long?> TotalLag(ClusterNode node)
    {
        try
        {
            return (await TestCluster.GetJson(node.ManagementUrl + "/kafka/lag")).GetProperty("total_lag").GetInt64();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private async Task<SoakReport> Verify(
        TestCluster cluster, HttpClient http, TelemetryFeed telemetry, PoisonFeed poison, AlertWatcher alerts,
        DeadLetterWatcher deadLetters, MemorySampler memory, IngestProgressSampler progress, IReadOnlyList<FaultWindow> faults,
        DateTime started, DateTime ended)
    {
        // Exactness: per window, what the cluster persisted against the alerting events Kafka acknowledged.
        var delivered = telemetry.Delivered.Values.ToArray();
        var expected = delivered.Where(d => Dataset.ExpectedViolations(d.Event).Count > 0)
            .GroupBy(d => WindowKey(d.Event.EventTime)).ToDictionary(g => g.Key, g => (long)g.Count());
        var total = expected.Values.Sum();
        var last = (int)Math.Min(1440, (DateTime.UtcNow - started).TotalMinutes + 3);
        Dictionary<DateTimeOffset, (long Alerts, long Late)> counted = [];
        async Task<Dictionary<DateTimeOffset, (long Alerts, long Late)>> ReadWindows() =>
            (await http.GetFromJsonAsync<JsonElement[]>($"{cluster.Web.ApiUrl}/api/windows?last={last}"))!
                .ToDictionary(w => w.GetProperty("window_start").GetDateTimeOffset(), w => (w.GetProperty("alerts").GetInt64(), w.GetProperty("late").GetInt64()));
        try
        {
            await Poll.Until(async () =>
            {
                counted = await ReadWindows();
                return counted.Values.Sum(v => v.Alerts + v.Late) >= total;
            }, TimeSpan.FromSeconds(90), $"{total} alerts in the windows");
        }
        catch (TimeoutException e)
        {
            // Name the windows that disagree, so a failed run says where to look.
            var differing = expected.Keys.Union(counted.Keys).Order()
                .Select(k => (Window: k, Want: expected.GetValueOrDefault(k), Got: counted.TryGetValue(k, out var c) ? c.Alerts + c.Late : 0))
                .Where(d => d.Want != d.Got)
                .Select(d => $"{d.Window:HH:mm} expected {d.Want} counted {d.Got}");
            throw new TimeoutException($"{e.Message}; counted {counted.Values.Sum(v => v.Alerts + v.Late)}; windows that differ: {string.Join(", ", differing)}", e);
        }

        await Task.Delay(2000); // anything counted twice would show up now
        counted = await ReadWindows();
        long lost = 0, doubled = 0;
        foreach (var key in expected.Keys.Union(counted.Keys))
        {
            var want = expected.GetValueOrDefault(key);
            var got = counted.TryGetValue(key, out var c) ? c.Alerts : 0;
            lost += Math.Max(0, want - got);
            doubled += Math.Max(0, got - want);
        }

        // Dead letters: exactly the poison Kafka acknowledged, each with its reason; the oversized one cut, not lost.
        var sent = poison.Sent;
        await Poll.Until(() => Task.FromResult(sent.Keys.All(deadLetters.Entries.ContainsKey)), TimeSpan.FromSeconds(60), "every poison message dead-lettered");
        Assert.Equal(sent.Keys.Order(StringComparer.Ordinal), deadLetters.Entries.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, kind) in sent)
        {
            var entry = deadLetters.Entries[key];
            Assert.False(string.IsNullOrWhiteSpace(entry.Reason), $"{key} has no reason");
            if (kind == "oversized")
            {
                Assert.StartsWith("message too large", entry.Reason, StringComparison.Ordinal);
                Assert.True(entry.OriginalBytes > PoisonFeed.OversizedBytes, $"{key}: original size {entry.OriginalBytes}");
                Assert.True(entry.StoredBytes < PoisonFeed.OversizedBytes, $"{key}: stored {entry.StoredBytes} bytes");
            }
        }

        output.WriteLine($"dead-letter topic: {deadLetters.Entries.Count} distinct poison messages ({deadLetters.Duplicates} redelivered copies), reasons: " +
            string.Join("; ", deadLetters.Entries.Values.Select(e => e.Reason.Split(':')[0]).Distinct()));

        // Latency: raw-data produce → alert published, for every alerting event.
        var latencies = delivered.Where(d => alerts.FirstSeen.ContainsKey(d.Event.EventId))
            .Select(d => (d.ProducedAt, Latency: alerts.FirstSeen[d.Event.EventId] - d.ProducedAt)).ToArray();
        var firstFault = faults.Count > 0 ? faults[0].Start : ended;
        // Fault-free: after the first seconds' start-up, and not so close to the first fault that the fault delays it.
        var baseline = latencies.Where(l => l.ProducedAt > started + TimeSpan.FromSeconds(5) && l.ProducedAt < firstFault - TimeSpan.FromSeconds(3))
            .Select(l => l.Latency.TotalMilliseconds).Order().ToArray();
        var p50 = Percentile(baseline, 0.50);
        var p99 = Percentile(baseline, 0.99);
        var recovered = TimeSpan.FromMilliseconds(Math.Max(1000, 3 * p99));
        var figures = faults.Select(f =>
        {
            var during = latencies.Where(l => l.ProducedAt >= f.Start && l.ProducedAt <= f.End).ToArray();
            TimeSpan? worst = during.Length > 0 ? during.Max(l => l.Latency) : null;
            var back = latencies.Where(l => l.ProducedAt >= f.End && l.Latency <= recovered).OrderBy(l => l.ProducedAt).FirstOrDefault();
            TimeSpan? recovery = back == default ? null : back.ProducedAt + back.Latency - f.End;
            return new FaultFigures(f.Name, f.End - f.Start, worst, recovery < TimeSpan.Zero ? TimeSpan.Zero : recovery);
        }).ToArray();

        // Memory: steady level before the first fault against the last seconds of the run, per node process.
        var samples = memory.Samples.ToArray();
        var heaps = memory.HeapSamples.ToArray();
        long? Level(IEnumerable<(DateTime At, string Node, int Pid, long Bytes)> of, string node, int pid, bool atStart) =>
            Median(of.Where(s => s.Node == node && (atStart
                ? s.Pid == pid && s.At > started + TimeSpan.FromSeconds(5) && s.At < firstFault
                : s.At > ended - TimeSpan.FromSeconds(10))).Select(s => s.Bytes));
        var nodes = samples.GroupBy(s => s.Node).Select(g =>
        {
            var firstPid = g.First().Pid;
            return new NodeMemory(g.Key, Level(g, g.Key, firstPid, true), Level(g, g.Key, firstPid, false), g.Max(s => s.Bytes),
                Level(heaps, g.Key, firstPid, true), Level(heaps, g.Key, firstPid, false));
        }).OrderBy(n => n.Node, StringComparer.Ordinal).ToArray();
        foreach (var n in nodes)
        {
            // Same process from start to end (the restarted node starts over): no growth beyond GC headroom. Live
            // managed objects are held to 1.5x; resident memory to 2x, because the server GC grows a busy node's
            // generation-0 budget by tens of MB over a run with live objects flat (docs/testing.md).
            var samePid = samples.Where(s => s.Node == n.Node).Select(s => s.Pid).Distinct().Count() == 1;
            if (!samePid) continue;
            if (n is { LiveStartBytes: { } ls, LiveEndBytes: { } le })
                Assert.True(le <= (ls * 1.5) + (64L << 20), $"{n.Node}'s live managed heap grew from {ls} to {le} bytes");
            if (n is { StartBytes: { } rs, EndBytes: { } re })
                Assert.True(re <= (rs * 2) + (64L << 20), $"{n.Node} grew from {rs} to {re} bytes");
        }

        var late = counted.Values.Sum(v => v.Late);
        return new SoakReport(ended - started, delivered.Length, total, counted.Values.Sum(v => v.Alerts), lost, doubled, late,
            sent.Count, deadLetters.Entries.Count, p50, p99, figures, nodes, progress.LongestFlat(), progress.Stalls(), faults, started);
    }

    private async Task SecurityChecks(TestCluster cluster, HttpClient http, string adminToken, IReadOnlyList<string> secrets)
    {
        // Mutating management verbs without or with a wrong token are refused (exit code 4) and change nothing.
        foreach (var token in new[] { "", "wrong-" + adminToken })
        {
            var env = new Dictionary<string, string> { ["TRAFFIC_ADMIN_TOKEN"] = token };
            using var leave = TrafficProcess.Start($"cluster leave {cluster.Nodes[2].AkkaAddress} --node {cluster.Nodes[0].ManagementUrl}", env);
            Assert.True(leave.WaitForExit(TimeSpan.FromSeconds(30)), "cluster leave did not finish");
            Assert.True(leave.ExitCode == 4, $"cluster leave with token '{token}' exited {leave.ExitCode}: {leave.Output}");
        }

        Assert.Equal(cluster.Nodes.Count + 1, (await TestCluster.Members(cluster.Web)).Count);

        // The dashboard hub offers clients nothing to call but the car subscription.
        await using (var hub = new HubConnectionBuilder().WithUrl(cluster.Web.ApiUrl + TrafficHub.Path).Build())
        {
            await hub.StartAsync();
            await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("Leave"));
        }

        // No secret in any answer or any log line of any process.
        var answers = new List<string>();
        foreach (var path in new[] { "/api/info", "/api/stats", "/api/windows?last=5", "/api/alerts/recent" })
            answers.Add(await http.GetStringAsync(cluster.Web.ApiUrl + path));
        foreach (var path in new[] { "/cluster", "/ready", "/healthz", "/metrics", "/sharding/regions", "/actors?depth=2", "/kafka/lag" })
            answers.Add(await http.GetStringAsync(cluster.Nodes[0].ManagementUrl + path));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(answers, a => a.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(cluster.AllLogs(), log => log.Contains(secret, StringComparison.Ordinal));
        }

        output.WriteLine($"security: verbs refused without/with a wrong token, hub invocation refused, {secrets.Count} secrets absent from {answers.Count} answers and every log");
    }

    private void AssertNoUnexpectedErrors(TestCluster cluster, IReadOnlyList<SoakFault> faults)
    {
        var allowed = faults.SelectMany(f => f.ExpectedErrors).Distinct().ToArray();
        var errors = cluster.AllLogs().SelectMany(l => l.Split('\n'))
            .Where(l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal)).ToArray();
        var unexpected = errors.Where(l => !allowed.Any(a => l.Contains(a, StringComparison.Ordinal))).ToArray();
        output.WriteLine($"error lines: {errors.Length}, all caused by injected faults: {unexpected.Length == 0}");
        Assert.True(unexpected.Length == 0, "unexpected error lines:\n" + string.Join('\n', unexpected.Take(20)));
    }

    private static DateTimeOffset WindowKey(DateTimeOffset t) => TrafficActors.Windows.WindowKey.StartOf(t, TimeSpan.FromMinutes(1));

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static long? Median(IEnumerable<long> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? null : v[v.Length / 2];
    }

    private static TimeSpan ParseDuration(string text)
    {
        var t = text.Trim();
        var number = double.Parse(t[..^1], CultureInfo.InvariantCulture);
        return t[^1] switch
        {
            's' => TimeSpan.FromSeconds(number),
            'm' => TimeSpan.FromMinutes(number),
            'h' => TimeSpan.FromHours(number),
            _ => throw new FormatException($"TRAFFIC_SOAK_DURATION '{text}': use e.g. 90s, 30m, 2h"),
        };
    }
}
