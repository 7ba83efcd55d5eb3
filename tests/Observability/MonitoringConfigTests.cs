using System.Text.Json;
using Xunit;

namespace TrafficActors.Tests.Observability;

/// <summary>The shipped dashboard has the panels operators look for, and the rules' metric names read as meant.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class MonitoringConfigTests
{
    [Fact]
    public void The_dashboard_has_every_panel_with_a_query_and_a_unique_id()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ShippedMonitoring.Dashboard));
        var panels = doc.RootElement.GetProperty("panels").EnumerateArray().ToList();
        var titles = panels.Select(p => p.GetProperty("title").GetString()).ToList();
        Assert.Superset(
            new HashSet<string?>
            {
                "Throughput", "Processing latency", "Consumer lag per partition", "Dead-letter rate", "Alerts per rule", "Cluster members",
                "Shards per node", "Journal write latency", "GC",
            },
            titles.ToHashSet());
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(panels, p => Assert.NotEmpty(p.GetProperty("targets").EnumerateArray()));
        Assert.All(ShippedMonitoring.DashboardQueries(), q => Assert.DoesNotContain("$", q.Query, StringComparison.Ordinal));
    }

    [Fact]
    public void The_metric_names_of_an_expression_leave_out_labels_functions_and_keywords()
    {
        Assert.Equal(
            ["traffic_events_consumed_total", "traffic_kafka_consumer_lag"],
            ShippedMonitoring.MetricNames("""sum(max by (topic, partition) (traffic_kafka_consumer_lag{topic="raw-data"})) > 0 and on () sum(rate(traffic_events_consumed_total[2m])) == 0""").Order());
        Assert.Equal(["traffic_node_ready", "up"], ShippedMonitoring.MetricNames("""traffic_node_ready == 0 or up{job="traffic-actors"} == 0""").Order());
        Assert.Equal(
            ["traffic_cluster_unreachable_members", "traffic_dlq_entries_total", "traffic_events_consumed_total", "traffic_kafka_consumer_lag", "traffic_node_ready", "up"],
            ShippedMonitoring.AlertRules().SelectMany(r => ShippedMonitoring.MetricNames(r.Expr)).Distinct().Order());
    }
}
