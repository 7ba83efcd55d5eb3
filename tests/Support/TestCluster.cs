using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

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

    private TestCluster(ITestOutputHelper output, int nodes, string extraHocon, int fleet)
    {
        _output = output;
        _fleet = fleet;
        _connection = _postgres.CreateDatabase("traffic");
        _config = Path.Combine(_dir.Path, "test.conf");
        File.WriteAllText(_config, extraHocon);
        _broker = TrafficProcess.Start("kafka");
        Bootstrap = _broker.WaitForLine("Kafka bootstrap:", TimeSpan.FromSeconds(60));
        Nodes = Enumerable.Range(1, nodes).Select(i => new ClusterNode($"node{i}", FreePorts.Next(), FreePorts.Next(), FreePorts.Next())).ToArray();
        Web = new ClusterNode("web", FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
    }

    public string Bootstrap { get; }

    public IReadOnlyList<ClusterNode> Nodes { get; }

    public ClusterNode Web { get; }

    private string Seeds => string.Join(' ', Nodes.Select(n => n.AkkaAddress));

    /// <summary>Starts the processing nodes together, then the web node; returns once every one logged "Node up".</summary>
    public static TestCluster Start(ITestOutputHelper output, int nodes, string extraHocon, int fleet)
    {
        var cluster = new TestCluster(output, nodes, extraHocon, fleet);
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
        var env = new Dictionary<string, string>
        {
            ["TRAFFIC_DB_PROVIDER"] = "postgresql",
            ["TRAFFIC_DB_CONNECTION"] = _connection,
            ["TRAFFIC_MANAGEMENT_PORT"] = node.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TRAFFIC_CARS"] = _fleet.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
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

    public static async Task<JsonElement> GetJson(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetFromJsonAsync<JsonElement>(url);
    }

    /// <summary>Addresses of the members the given node sees (any status).</summary>
    public static async Task<IReadOnlyList<string>> Members(ClusterNode observer) =>
        (await GetJson(observer.ManagementUrl + "/cluster")).GetProperty("members").EnumerateArray()
            .Select(m => m.GetProperty("address").GetString()!).ToArray();

    /// <summary>Writes every process's log to the test output (on failure).</summary>
    public void DumpLogs()
    {
        foreach (var log in _retiredLogs) _output.WriteLine(Tail(log));
        foreach (var n in Nodes.Append(Web).Where(n => n.Process is not null))
            _output.WriteLine(Tail($"--- {n.Name} ---\n{n.Process!.Output}"));
        _output.WriteLine(Tail($"--- broker ---\n{_broker.Output}"));
    }

    private static string Tail(string log, int lines = 150)
    {
        var all = log.Split('\n');
        return all.Length <= lines ? log : string.Join('\n', all[..1].Concat(all[^lines..]));
    }

    public void Dispose()
    {
        foreach (var n in Nodes.Append(Web)) n.Process?.Dispose();
        _broker.Dispose();
        _postgres.Dispose();
        _dir.Dispose();
    }
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
