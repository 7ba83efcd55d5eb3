using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Support;

/// <summary>
/// A real cluster on loopback, as in production: a standalone broker (<c>traffic kafka</c>), N node processes with
/// the ingest, cars and windows roles and a web node, all sharing one throw-away PostgreSQL journal. Every node
/// lists all processing nodes as seeds, so any of them (the first one included) can restart and rejoin.
/// </summary>
public sealed class TestCluster : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TempDir _dir = new();
    private readonly PostgresServer _postgres = new();
    private readonly TrafficProcess _broker;
    private readonly string _connection;
    private readonly string _config;
    private readonly int _fleet;
    private readonly List<string> _retiredLogs = [];
    private readonly Dictionary<string, string> _extraEnv;

    private TestCluster(ITestOutputHelper output, int nodes, string extraHocon, int fleet, TestClusterOptions? options)
    {
        _output = output;
        _fleet = fleet;
        _connection = _postgres.CreateDatabase("traffic");
        _config = Path.Combine(_dir.Path, "test.conf");
        File.WriteAllText(_config, extraHocon);
        _extraEnv = new Dictionary<string, string>(options?.Environment ?? new Dictionary<string, string>());
        BrokerControlUrl = $"http://127.0.0.1:{FreePorts.Next()}";
        _broker = TrafficProcess.Start($"kafka --control-port {new Uri(BrokerControlUrl).Port}");
        Bootstrap = _broker.WaitForLine("Kafka bootstrap:", TimeSpan.FromSeconds(60));
        if (options?.S3Bucket is { } bucket)
        {
            S3 = new S3Server();
            _extraEnv["AWS_ENDPOINT_URL"] = S3.Endpoint;
            _extraEnv["AWS_ACCESS_KEY_ID"] = S3.AccessKey;
            _extraEnv["AWS_SECRET_ACCESS_KEY"] = S3.SecretKey;
            _extraEnv["TRAFFIC_REFERENCE_BUCKET"] = bucket;
            InitReferenceData(force: false);
        }
        Nodes = Enumerable.Range(1, nodes).Select(i => new ClusterNode($"node{i}", FreePorts.Next(), FreePorts.Next(), FreePorts.Next())).ToArray();
        Web = new ClusterNode("web", FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
    }

    public string Bootstrap { get; }

    /// <summary>The broker's fault-injection endpoint (<c>traffic kafka --control-port</c>).</summary>
    public string BrokerControlUrl { get; }

    /// <summary>The reference-data S3 server, when the cluster was started with a bucket.</summary>
    public S3Server? S3 { get; }

    public PostgresServer Postgres => _postgres;

    /// <summary>Every line any process of the cluster wrote so far, retired processes included.</summary>
    public IEnumerable<string> AllLogs() =>
        _retiredLogs.Concat(Nodes.Append(Web).Where(n => n.Process is not null).Select(n => n.Process!.Output)).Append(_broker.Output);

    /// <summary>Runs <c>traffic init</c> against the cluster's S3 server (the fleet the nodes use).</summary>
    public void InitReferenceData(bool force)
    {
        using var init = TrafficProcess.Start($"init --cars {_fleet}{(force ? " --force" : "")}", Environment());
        if (!init.WaitForExit(TimeSpan.FromSeconds(60)) || init.ExitCode != 0)
            throw new InvalidOperationException($"traffic init failed:\n{init.Output}");
    }

    private Dictionary<string, string> Environment() => new(_extraEnv)
    {
        ["TRAFFIC_DB_PROVIDER"] = "postgresql",
        ["TRAFFIC_DB_CONNECTION"] = _connection,
        ["TRAFFIC_CARS"] = _fleet.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public IReadOnlyList<ClusterNode> Nodes { get; }

    public ClusterNode Web { get; }

    private string Seeds => string.Join(' ', Nodes.Select(n => n.AkkaAddress));

    /// <summary>Starts the processing nodes together, then the web node; returns once every one logged "Node up".</summary>
    public static TestCluster Start(ITestOutputHelper output, int nodes, string extraHocon, int fleet, TestClusterOptions? options = null)
    {
        var cluster = new TestCluster(output, nodes, extraHocon, fleet, options);
        try
        {
            foreach (var n in cluster.Nodes) cluster.Launch(n, "ingest cars windows");
            foreach (var n in cluster.Nodes) n.Process!.WaitForLine("Node up:", TimeSpan.FromSeconds(90));
            cluster.Launch(cluster.Web, "web");
            cluster.Web.Process!.WaitForLine("Node up:", TimeSpan.FromSeconds(90));
            return cluster;
        }
        catch
        {
            cluster.DumpLogs();
            cluster.Dispose();
            throw;
        }
    }

    private void Launch(ClusterNode node, string roles)
    {
        var data = Path.Combine(_dir.Path, node.Name);
        Directory.CreateDirectory(data);
        var env = Environment();
        env["TRAFFIC_MANAGEMENT_PORT"] = node.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        node.Process = TrafficProcess.Start(
            $"node --roles {roles} --port {node.AkkaPort} --seed-nodes {Seeds} --kafka-bootstrap {Bootstrap} " +
            $"--urls {node.ApiUrl} --data-dir {data} --config {_config}",
            env);
    }

    /// <summary>SIGKILL: the node vanishes without leaving the cluster or committing offsets.</summary>
    public void Kill(ClusterNode node)
    {
        _retiredLogs.Add($"--- {node.Name} (killed) ---\n{node.Process!.Output}");
        node.Process.Kill();
        node.Process.Dispose();
        node.Process = null;
    }

    /// <summary>SIGTERM: drain, hand shards off, leave, exit. Fails the test if the node does not exit in time.</summary>
    public void Stop(ClusterNode node, TimeSpan timeout)
    {
        var process = node.Process!;
        var exited = process.Terminate(timeout);
        _retiredLogs.Add($"--- {node.Name} (stopped) ---\n{process.Output}");
        if (!exited) throw new TimeoutException($"{node.Name} did not exit within {timeout} after SIGTERM");
        process.Dispose();
        node.Process = null;
    }

    public void Restart(ClusterNode node)
    {
        Launch(node, node == Web ? "web" : "ingest cars windows");
        node.Process!.WaitForLine("Node up:", TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// Waits until no running member lists <paramref name="node"/>'s address any more: the whole cluster has removed
    /// its previous incarnation. A node started again on the same address before that joins while some peers still
    /// hold an association to the old one; that peer and the new node can then both be marked unreachable and downed
    /// together (see docs/decisions/failure-detection.md). An orchestrator's rollout waits the same way.
    /// </summary>
    public Task AwaitRemoved(ClusterNode node, TimeSpan timeout) =>
        Poll.Until(async () =>
        {
            foreach (var peer in Nodes.Append(Web).Where(n => n != node && n.Process is not null))
                if ((await Members(peer)).Contains(node.AkkaAddress)) return false;
            return true;
        }, timeout, $"{node.Name} removed from every member's view of the cluster");

    public static async Task<JsonElement> GetJson(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetFromJsonAsync<JsonElement>(url);
    }

    /// <summary>
    /// The raw-data partitions a node consumes, from its readiness report (<c>kafka_partitions</c>); null while it
    /// holds none. A node that is not ready answers 503, which <see cref="Poll"/> treats as "not yet".
    /// </summary>
    public static async Task<string[]?> RawDataPartitions(string managementUrl)
    {
        const string marker = "raw-data ";
        var ready = await GetJson(managementUrl + "/ready");
        var detail = ready.GetProperty("checks").EnumerateArray()
            .Where(c => c.GetProperty("name").GetString() == "kafka_partitions" && c.GetProperty("ok").GetBoolean())
            .Select(c => c.GetProperty("detail").GetString()!).FirstOrDefault();
        var at = detail?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0) return null;
        return detail![(at + marker.Length)..].Split(';')[0].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Addresses of the members the given node sees (any status).</summary>
    public static async Task<IReadOnlyList<string>> Members(ClusterNode observer) =>
        (await GetJson(observer.ManagementUrl + "/cluster")).GetProperty("members").EnumerateArray()
            .Select(m => m.GetProperty("address").GetString()!).ToArray();

    /// <summary>Writes every process's full log (retired ones included) into <paramref name="folder"/>.</summary>
    public void SaveLogs(string folder)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < _retiredLogs.Count; i++) File.WriteAllText(Path.Combine(folder, $"retired-{i + 1}.log"), _retiredLogs[i]);
        foreach (var n in Nodes.Append(Web).Where(n => n.Process is not null)) File.WriteAllText(Path.Combine(folder, $"{n.Name}.log"), n.Process!.Output);
        File.WriteAllText(Path.Combine(folder, "broker.log"), _broker.Output);
    }

    /// <summary>
    /// Writes every process's log to the test output (on failure): first each process's membership and reachability
    /// lines in full, since what downed a node may lie far before the tail, then the tail of each log.
    /// </summary>
    public void DumpLogs()
    {
        var logs = _retiredLogs.Concat(Nodes.Append(Web).Where(n => n.Process is not null).Select(n => $"--- {n.Name} ---\n{n.Process!.Output}")).ToArray();
        foreach (var log in logs)
        {
            var lines = log.Split('\n');
            _output.WriteLine($"{lines[0]} membership and reachability:");
            foreach (var line in lines.Where(IsMembershipLine)) _output.WriteLine(line);
        }

        foreach (var log in logs) _output.WriteLine(Tail(log));
        _output.WriteLine(Tail($"--- broker ---\n{_broker.Output}"));
    }

    private static readonly string[] MembershipMarkers =
        ["UNREACHABLE", "REACHABLE", "SBR", "heartbeat", "Leader is", "incarnation", "Quarantin", "Downing", "is JOINING", "Welcome", "Node up:"];

    private static bool IsMembershipLine(string line) =>
        MembershipMarkers.Any(m => line.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static string Tail(string log, int lines = 150)
    {
        var all = log.Split('\n');
        return all.Length <= lines ? log : string.Join('\n', all[..1].Concat(all[^lines..]));
    }

    public void Dispose()
    {
        foreach (var n in Nodes.Append(Web)) n.Process?.Dispose();
        _broker.Dispose();
        S3?.Dispose();
        _postgres.Dispose();
        _dir.Dispose();
    }
}

/// <summary>Extras for a <see cref="TestCluster"/>: reference data from S3, more environment for every process.</summary>
public sealed record TestClusterOptions
{
    /// <summary>Start an S3 server, run <c>traffic init</c> into this bucket and let the nodes load from it.</summary>
    public string? S3Bucket { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}

/// <summary>One node of a <see cref="TestCluster"/>: its fixed ports and, while it runs, its process.</summary>
public sealed class ClusterNode(string name, int akkaPort, int apiPort, int managementPort)
{
    public string Name { get; } = name;

    public int AkkaPort { get; } = akkaPort;

    public int ManagementPort { get; } = managementPort;

    public string AkkaAddress => $"akka.tcp://traffic@127.0.0.1:{AkkaPort}";

    public string ApiUrl { get; } = $"http://127.0.0.1:{apiPort}";

    public string ManagementUrl => $"http://127.0.0.1:{ManagementPort}";

    public TrafficProcess? Process { get; set; }
}
