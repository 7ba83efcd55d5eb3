using System.Text.Json;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Observability;

/// <summary>
/// The shipped dashboard and alert rules against what a live node really exports, through a real Prometheus: every
/// panel's query returns a number, and every metric a rule reads exists.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class MonitoringStackTests(MonitoringStack stack, ITestOutputHelper output) : IClassFixture<MonitoringStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_dashboard_query_returns_data_through_Prometheus()
    {
        var queries = ShippedMonitoring.DashboardQueries();
        Assert.True(queries.Count >= 9, $"{queries.Count} queries");
        List<string> missing = [];
        await Poll.Until(
            async () =>
            {
                missing = [];
                foreach (var (panel, query) in queries)
                {
                    if (!(await NumbersAsync(query)).Any()) missing.Add($"{panel}: {query}");
                }

                return missing.Count == 0;
            },
            Timeout, () => "data for every panel; none (or only NaN) yet for:\n" + string.Join('\n', missing));

        foreach (var (panel, query) in queries) output.WriteLine($"{panel}: {string.Join(", ", await NumbersAsync(query))}");
        // The panels show what happened: events went through, some were dead-lettered, some broke rules.
        Assert.Contains(await NumbersAsync(Query("Throughput")), v => v > 0);
        Assert.Contains(await NumbersAsync(Query("Dead-letter rate")), v => v > 0);
        Assert.Contains(await NumbersAsync(Query("Alerts per rule")), v => v > 0);
        foreach (var metric in ShippedMonitoring.VariableMetrics())
            Assert.True(await stack.HasDataAsync(metric), $"the dashboard's variable reads {metric}, which has no data");
    }

    [Fact]
    public async Task Every_metric_the_alert_rules_read_exists_and_every_rule_evaluates()
    {
        var rules = ShippedMonitoring.AlertRules();
        Assert.Equal(5, rules.Count);
        foreach (var (alert, expr) in rules)
        {
            var metrics = ShippedMonitoring.MetricNames(expr);
            Assert.NotEmpty(metrics);
            foreach (var metric in metrics)
                Assert.True(await stack.HasDataAsync(metric), $"{alert} reads {metric}, which has no data");
        }

        JsonElement[] evaluated = [];
        await Poll.Until(
            async () =>
            {
                evaluated = (await stack.Prometheus.GetAsync("/api/v1/rules")).GetProperty("groups").EnumerateArray()
                    .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToArray();
                return evaluated.Length == rules.Count && evaluated.All(r => r.GetProperty("health").GetString() == "ok");
            },
            Timeout, () => "every rule evaluated without error: " + string.Join("; ", evaluated.Select(r => r.ToString())));
        // A healthy node that just processed everything it was sent fires nothing.
        Assert.All(evaluated, r => Assert.NotEqual("firing", r.GetProperty("state").GetString()));
    }

    private static string Query(string panel) => ShippedMonitoring.DashboardQueries().First(q => q.Panel == panel).Query;

    private async Task<IReadOnlyList<double>> NumbersAsync(string query) =>
        (await stack.ValuesAsync(query)).Where(v => !double.IsNaN(v)).ToList();
}
