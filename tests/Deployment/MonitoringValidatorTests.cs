using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Deployment;

/// <summary>
/// Each check of <see cref="MonitoringValidator"/> on the shipped compose file with one mistake, in the compose file
/// or in a file it mounts: the mistake is reported, so a clean report on the real files means something.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class MonitoringValidatorTests
{
    private const string PrometheusYml = "observability/prometheus/prometheus.yml";
    private const string Datasources = "observability/grafana/provisioning/datasources/prometheus.yml";
    private const string Dashboard = "observability/grafana/dashboards/traffic-actors.json";

    private static string Compose => File.ReadAllText(RepositoryRoot.File("docker-compose.yml"));

    private static string Shipped(string path) => File.ReadAllText(RepositoryRoot.File(path));

    private static IReadOnlyList<string> Validate(string compose, Dictionary<string, string>? replaced = null) =>
        new MonitoringValidator(RepositoryRoot.Path, RepositoryRoot.File("hocon"), replaced)
            .Validate(ComposeFile.Parse(compose, DotEnvFile.Parse(File.ReadAllText(RepositoryRoot.File(".env.example")))));

    [Fact]
    public void The_shipped_files_pass()
    {
        var problems = Validate(Compose);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("          - node3:9110\n", "", "node node3 is not scraped")]
    [InlineData("node2:9110", "node2:9111", "scrape target node2:9111, but node2's management endpoint listens on port 9110")]
    [InlineData("node2:9110", "kafka:9110", "scrape target kafka:9110 is not a `traffic node` service")]
    [InlineData("  - alerts.yml", "  - alert-rules.yml", "rule file alert-rules.yml is missing")]
    public void A_scrape_config_that_misses_the_nodes_is_reported(string shipped, string broken, string problem)
    {
        var text = Shipped(PrometheusYml);
        Assert.Contains(shipped, text, StringComparison.Ordinal);
        var problems = Validate(Compose, new() { [PrometheusYml] = text.Replace(shipped, broken, StringComparison.Ordinal) });
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_node_whose_management_endpoint_listens_on_loopback_only_is_reported()
    {
        const string open = "  TRAFFIC_MANAGEMENT_HOST: 0.0.0.0\n";
        Assert.Contains(open, Compose, StringComparison.Ordinal);
        var problems = Validate(Compose.Replace(open, "", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("node1's management endpoint listens on 127.0.0.1 only", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("./observability/prometheus:/etc/prometheus:ro", "./observability/prom:/etc/prometheus:ro", "mounts ./observability/prom, which is not in the repository")]
    [InlineData("--config.file=/etc/prometheus/prometheus.yml", "--config.file=/etc/prometheus/main.yml", "/etc/prometheus/main.yml is not a mounted repository file")]
    [InlineData("./observability/grafana/dashboards:/etc/grafana/dashboards:ro", "./observability/grafana/dashboards:/var/dashboards:ro", "dashboard folder /etc/grafana/dashboards is not a mounted repository folder")]
    [InlineData("  prometheus:\n    image:", "  metrics:\n    image:", "no prometheus service")]
    public void A_compose_file_that_mounts_the_wrong_files_is_reported(string shipped, string broken, string problem)
    {
        Assert.Contains(shipped, Compose, StringComparison.Ordinal);
        var problems = Validate(Compose.Replace(shipped, broken, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_data_source_elsewhere_and_a_dashboard_on_an_unknown_one_are_reported()
    {
        var problems = Validate(Compose, new()
        {
            [Datasources] = Shipped(Datasources).Replace("http://prometheus:9090", "http://prometheus:9091", StringComparison.Ordinal),
            [Dashboard] = Shipped(Dashboard).Replace("\"uid\": \"prometheus\"", "\"uid\": \"metrics\"", StringComparison.Ordinal),
        });
        Assert.Contains(problems, p => p.Contains("data source prometheus points at prometheus:9091", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("uses data source metrics, which is not provisioned", StringComparison.Ordinal));
    }
}
