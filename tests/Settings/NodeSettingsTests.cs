using Akka.Configuration;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Settings;

/// <summary>Roles and seed nodes from the shipped traffic.conf, with and without their environment overrides.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class NodeSettingsTests
{
    private static NodeSettings Load(Dictionary<string, string> environment) =>
        NodeSettings.FromConfig(ShippedConfig.Load(environment).GetConfig("traffic.node"));

    [Fact]
    public void Without_overrides_the_node_has_every_role_and_joins_itself()
    {
        var node = Load([]);
        Assert.Equal(["ingest", "cars", "windows", "web"], node.Roles);
        Assert.Empty(node.SeedNodes);
    }

    [Fact]
    public void Comma_separated_environment_values_become_lists()
    {
        var node = Load(new()
        {
            ["TRAFFIC_NODE_ROLES"] = "ingest, cars,windows",
            ["TRAFFIC_SEED_NODES"] = "akka.tcp://traffic@node1:4053,akka.tcp://traffic@node2:4053",
            ["TRAFFIC_AKKA_HOST"] = "node3",
            ["TRAFFIC_AKKA_PORT"] = "4053",
        });
        Assert.Equal(["ingest", "cars", "windows"], node.Roles);
        Assert.Equal(["akka.tcp://traffic@node1:4053", "akka.tcp://traffic@node2:4053"], node.SeedNodes);
        Assert.Equal("node3", node.Hostname);
        Assert.Equal(4053, node.Port);
        Assert.False(node.HasRole("web"));
    }

    [Fact]
    public void A_single_role_needs_no_comma_and_a_hocon_list_still_works()
    {
        Assert.Equal(["web"], Load(new() { ["TRAFFIC_NODE_ROLES"] = "web" }).Roles);
        var list = NodeSettings.FromConfig(ConfigurationFactory.ParseString("""
            roles = [cars, windows]
            port = 0
            hostname = "127.0.0.1"
            seed-nodes = ["akka.tcp://traffic@a:1"]
            stats-interval = 10s
            """));
        Assert.Equal(["cars", "windows"], list.Roles);
        Assert.Equal(["akka.tcp://traffic@a:1"], list.SeedNodes);
    }
}
