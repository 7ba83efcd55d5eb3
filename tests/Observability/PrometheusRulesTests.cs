using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Observability;

/// <summary>
/// promtool on the shipped Prometheus configuration: it loads, its rules parse, and the rules' unit tests
/// (alerts-test.yml) pass; a rule changed against its tests is caught.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class PrometheusRulesTests
{
    [Fact]
    public async Task The_shipped_config_and_rules_load()
    {
        var config = await Promtool.RunAsync(ShippedMonitoring.PrometheusFolder, "check", "config", ShippedMonitoring.PrometheusConfig);
        Assert.True(config.ExitCode == 0, config.Output);
        Assert.Contains("1 rule files found", config.Output, StringComparison.Ordinal);

        var rules = await Promtool.RunAsync(ShippedMonitoring.PrometheusFolder, "check", "rules", ShippedMonitoring.Rules);
        Assert.True(rules.ExitCode == 0, rules.Output);
        Assert.Contains("5 rules found", rules.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_fires_on_its_synthetic_series_and_stays_quiet_on_healthy_ones()
    {
        var test = await Promtool.RunAsync(ShippedMonitoring.PrometheusFolder, "test", "rules", ShippedMonitoring.RulesTest);
        Assert.True(test.ExitCode == 0, test.Output);
        Assert.Contains("SUCCESS", test.Output, StringComparison.Ordinal);
        // Every rule has a test.
        var tests = File.ReadAllText(ShippedMonitoring.RulesTest);
        Assert.All(ShippedMonitoring.AlertRules(), r => Assert.Contains("alertname: " + r.Alert, tests, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("expr: sum(rate(traffic_dlq_entries_total[5m])) > 1", "expr: sum(rate(traffic_dlq_entries_total[5m])) > 5", "TrafficDeadLetterRateHigh")]
    [InlineData("expr: max(traffic_cluster_unreachable_members) > 0", "expr: max(traffic_cluster_unreachable_members) >= 0", "TrafficClusterMemberUnreachable")]
    [InlineData("        for: 2m\n        labels:\n          severity: warning\n        annotations:\n          summary: \"Node", "        for: 5m\n        labels:\n          severity: warning\n        annotations:\n          summary: \"Node", "TrafficNodeNotReady")]
    public async Task A_rule_changed_against_its_tests_fails_them(string shipped, string changed, string alert)
    {
        using var dir = new TempDir();
        var rules = File.ReadAllText(ShippedMonitoring.Rules);
        Assert.Contains(shipped, rules, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.Path, Path.GetFileName(ShippedMonitoring.Rules)), rules.Replace(shipped, changed, StringComparison.Ordinal));
        File.Copy(ShippedMonitoring.RulesTest, Path.Combine(dir.Path, Path.GetFileName(ShippedMonitoring.RulesTest)));

        var test = await Promtool.RunAsync(dir.Path, "test", "rules", Path.GetFileName(ShippedMonitoring.RulesTest));
        Assert.NotEqual(0, test.ExitCode);
        Assert.Contains("alertname: " + alert, test.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_that_does_not_parse_is_refused()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "alerts.yml");
        File.WriteAllText(path, File.ReadAllText(ShippedMonitoring.Rules).Replace("max(traffic_cluster_unreachable_members) > 0", "max(traffic_cluster_unreachable_members > 0", StringComparison.Ordinal));

        var check = await Promtool.RunAsync(dir.Path, "check", "rules", path);
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("TrafficClusterMemberUnreachable", check.Output, StringComparison.Ordinal);
    }
}
