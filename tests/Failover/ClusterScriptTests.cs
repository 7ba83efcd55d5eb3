using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Failover;

/// <summary>The operator's script: a node killed and restarted with <c>cluster.sh restart</c> rejoins on the cluster's journal.</summary>
[Trait(Tier.Name, Tier.Cluster)]
public sealed class ClusterScriptTests(ITestOutputHelper output)
{
    /// <summary>
    /// The README's local-cluster steps with a fault: telemetry flows while node 2 is killed and restarted by the
    /// script. The restarted node uses the cluster's journal, and once the lag is 0 the windows hold exactly the
    /// distinct alerting events on <c>alert-data</c> (read from the topic, not from our own counters).
    /// </summary>
    [Fact]
    public async Task A_node_restarted_by_the_script_uses_the_clusters_journal_and_the_windows_equal_alert_data()
    {
        using var dir = new TempDir();
        var cluster = Path.Combine(dir.Path, "cluster");
        // A killed node's cars forget their stateful-rule memory, so a redelivered event may legitimately be judged
        // differently; stateless rules keep alert-data and the windows comparable event by event.
        var config = Path.Combine(dir.Path, "node.conf");
        File.WriteAllText(config, """
            traffic.rules.harsh-braking.enabled = off
            traffic.rules.sustained-overspeed.enabled = off
            traffic.windows.allowed-lateness = 30m
            """);
        var httpBase = Base();
        var env = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = cluster,
            ["CLUSTER_AKKA_BASE"] = Base(),
            ["CLUSTER_HTTP_BASE"] = httpBase,
            ["CLUSTER_MANAGEMENT_BASE"] = Base(),
            ["CLUSTER_CARS"] = "200",
            ["CLUSTER_CONFIG"] = config,
        };
        try
        {
            await RunAsync(env, "start", "2");
            var generate = RunAsync(env, "generate", "--rate", "300", "--duration", "25s");
            await Task.Delay(TimeSpan.FromSeconds(8)); // the kill lands mid-run, with events in flight
            await RunAsync(env, "kill", "2");
            await Task.Delay(TimeSpan.FromSeconds(4)); // down for a while, as after a crash, while the generator goes on
            await RunAsync(env, "restart", "2");
            await generate;

            // A node on a journal of its own would have been refused (and the script would have failed above).
            Assert.Contains("Node up:", File.ReadAllText(Path.Combine(cluster, "node2.log")));
            Assert.False(File.Exists(Path.Combine(cluster, "node2", "traffic.db")), "the restarted node opened a journal of its own");
            Assert.True(File.Exists(Path.Combine(cluster, "traffic.db")));
            Assert.Contains("TRAFFIC_DB_PROVIDER=sqlite", File.ReadAllText(Path.Combine(cluster, "journal.env")));

            var bootstrap = File.ReadLines(Path.Combine(cluster, "kafka.log"))
                .Select(l => l.IndexOf("Kafka bootstrap: ", StringComparison.Ordinal) is var i and >= 0 ? l[(i + 17)..].Split(' ')[0] : null)
                .First(b => b is not null)!;
            await Poll.Until(() => Task.FromResult(KafkaTestClient.GroupOffsets(bootstrap, "traffic-actors", "raw-data").All(p => p.Committed == p.End)),
                TimeSpan.FromSeconds(120), "consumer lag 0");

            var alertRecords = KafkaTestClient.GroupOffsets(bootstrap, "none-" + Guid.NewGuid().ToString("N"), "alert-data").Sum(p => p.End);
            var alerting = KafkaTestClient.ReadTopic(bootstrap, "alert-data", read => read.Count >= alertRecords, TimeSpan.FromSeconds(60))
                .Select(r => JsonDocument.Parse(r.Message.Value!).RootElement.GetProperty("event_id").GetString())
                .Distinct().Count();
            Assert.True(alerting > 50, $"only {alerting} alerting events");

            using var http = new HttpClient();
            long counted = 0;
            try
            {
                await Poll.Until(async () =>
                {
                    var windows = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{httpBase}/api/windows?last=30")).RootElement;
                    counted = windows.EnumerateArray().Sum(w => w.GetProperty("alerts").GetInt64() + w.GetProperty("late").GetInt64());
                    return counted == alerting;
                }, TimeSpan.FromSeconds(60), "windows equal alert-data");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}: windows hold {counted}, alert-data {alerting} distinct alerting events", e);
            }

            output.WriteLine($"{alertRecords} alert records, {alerting} distinct alerting events, {counted} counted in the windows");
        }
        finally
        {
            await RunAsync(env, "stop");
        }
    }

    /// <summary>Base port of a range the script adds the node index to (0 for the web node, 1..2 here).</summary>
    private static string Base() => FreePorts.Next().ToString(CultureInfo.InvariantCulture);

    private async Task RunAsync(IDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("bash", [RepositoryRoot.File("cluster.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Inherit nothing that would pick another journal.
        psi.Environment.Remove("TRAFFIC_DB_PROVIDER");
        psi.Environment.Remove("TRAFFIC_DB_CONNECTION");
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine($"$ cluster.sh {string.Join(' ', args)}\n{await stdout}{await stderr}");
        Assert.True(process.ExitCode == 0, $"cluster.sh {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
    }
}
