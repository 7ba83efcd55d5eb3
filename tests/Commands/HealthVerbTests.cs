using System.Globalization;
using TrafficActors.Host.Commands;
using TrafficActors.Host.Node;
using TrafficActors.Settings;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Commands;

/// <summary>
/// <c>traffic health</c>, the container health check, as a real process against live nodes: ready, not ready,
/// and unreachable each have their exit code; without <c>--node</c> it finds the node from the same variables a
/// container sets (management host 0.0.0.0 is asked through loopback).
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class HealthVerbTests(ITestOutputHelper output)
{
    private const string NodeHocon = "traffic.management.port = 0";

    [Fact]
    public async Task A_ready_node_is_healthy_and_found_from_the_container_variables()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, NodeHocon));
        var mgmt = node.ManagementUrl;

        Assert.Equal(ExitCodes.Ok, (await Run([], "health", "--live", "--node", mgmt)).ExitCode);
        // Readiness follows the partition assignment; the check is repeated like Docker repeats it.
        TrafficCli.Result ready = new(-1, "", "");
        await Poll.Until(
            async () => (ready = await Run([], "health", "--node", mgmt)).ExitCode == ExitCodes.Ok,
            TimeSpan.FromSeconds(30), () => $"a ready node; last answer {ready.ExitCode}: {ready.Stdout}", TimeSpan.FromMilliseconds(200));
        Assert.Equal(ExitCodes.Ok, ready.ExitCode);
        Assert.StartsWith("ready", ready.Stdout);
        Assert.Contains("kafka_partitions", ready.Stdout);
        Assert.Contains("ingest_progress", ready.Stdout);

        var port = new Uri(mgmt).Port.ToString(CultureInfo.InvariantCulture);
        var fromVariables = await Run(new() { ["TRAFFIC_MANAGEMENT_HOST"] = "0.0.0.0", ["TRAFFIC_MANAGEMENT_PORT"] = port }, "health");
        Assert.Equal(ExitCodes.Ok, fromVariables.ExitCode);
    }

    [Fact]
    public async Task A_node_without_reference_data_is_unhealthy_and_says_why()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, NodeHocon + "\ntraffic.reference.folder = \"" + Path.Combine(dir.Path, "missing") + "\""));

        var notReady = await Run([], "health", "--node", node.ManagementUrl);
        Assert.Equal(ExitCodes.Error, notReady.ExitCode);
        var line = Assert.Single(notReady.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("503", line);
        Assert.Contains("not ready: reference_data", line);
        // Alive all the same: --live only asks whether it serves requests.
        Assert.Equal(ExitCodes.Ok, (await Run([], "health", "--live", "--node", node.ManagementUrl)).ExitCode);
    }

    [Fact]
    public async Task No_node_is_unreachable()
    {
        var down = await Run([], "health", "--node", $"http://127.0.0.1:{FreePorts.Next()}");
        Assert.Equal(ExitCodes.Unreachable, down.ExitCode);
        Assert.Contains("unreachable", down.Stderr);
    }

    [Theory]
    [InlineData("0.0.0.0", "http://127.0.0.1:9110")]
    [InlineData("::", "http://[::1]:9110")]
    [InlineData("127.0.0.1", "http://127.0.0.1:9110")]
    [InlineData("10.1.2.3", "http://10.1.2.3:9110")]
    [InlineData("fd00::5", "http://[fd00::5]:9110")]
    public void A_wildcard_listener_is_asked_through_loopback(string host, string expected)
    {
        var defaults = ManagementSettings.FromConfig(TrafficConfig.Load(folder: RepositoryRoot.File("hocon"), environment: _ => null));
        Assert.Equal(expected, ManagementClient.DefaultNodeUrl(defaults with { Host = host }));
    }

    private async Task<TrafficCli.Result> Run(Dictionary<string, string> environment, params string[] args)
    {
        var r = await TrafficCli.RunWithEnvironmentAsync(environment, args);
        output.WriteLine($"$ traffic {string.Join(' ', args)} -> {r.ExitCode}\n{r.Stdout}{r.Stderr}");
        return r;
    }
}
