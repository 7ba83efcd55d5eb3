using System.Diagnostics;
using System.Globalization;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Failover;

/// <summary>The operator's script: a node killed and restarted with <c>cluster.sh restart</c> rejoins on the cluster's journal.</summary>
public sealed class ClusterScriptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_restarted_by_the_script_uses_the_journal_the_cluster_was_started_with()
    {
        using var dir = new TempDir();
        var cluster = Path.Combine(dir.Path, "cluster");
        var env = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = cluster,
            ["CLUSTER_AKKA_BASE"] = Base(),
            ["CLUSTER_HTTP_BASE"] = Base(),
            ["CLUSTER_MANAGEMENT_BASE"] = Base(),
            ["CLUSTER_CARS"] = "50",
        };
        try
        {
            await RunAsync(env, "start", "2");
            await RunAsync(env, "kill", "2");
            await RunAsync(env, "restart", "2");

            // A node on a journal of its own would have been refused (and the script would have failed above).
            var restartedLogs = File.ReadAllText(Path.Combine(cluster, "node2.log"));
            Assert.Contains("Node up:", restartedLogs);
            Assert.False(File.Exists(Path.Combine(cluster, "node2", "traffic.db")), "the restarted node opened a journal of its own");
            Assert.True(File.Exists(Path.Combine(cluster, "traffic.db")));
            Assert.Contains("TRAFFIC_DB_PROVIDER=sqlite", File.ReadAllText(Path.Combine(cluster, "journal.env")));
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
