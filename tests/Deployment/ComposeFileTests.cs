using TrafficActors.Host.Commands;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Deployment;

/// <summary>
/// docker-compose.yml, the Dockerfile and .env.example checked against the code, since no Docker engine runs here:
/// see <see cref="ComposeValidator"/> and <see cref="DockerfileValidator"/> for what is checked;
/// <see cref="ComposeValidatorTests"/> shows that each check catches what it is meant to.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class ComposeFileTests
{
    private static readonly IReadOnlySet<string> Known = EnvironmentVariableCatalog.Scan(RepositoryRoot.Path);
    private static readonly Akka.Configuration.Config Defaults = TrafficConfig.Load(folder: RepositoryRoot.File("hocon"), environment: _ => null);

    private static int WebPort => new Uri(TrafficSettings.FromConfig(Defaults).WebUrls.Split(';')[0]).Port;

    private static int ManagementPort => ManagementSettings.FromConfig(Defaults).Port;

    private static string Compose => File.ReadAllText(RepositoryRoot.File("docker-compose.yml"));

    private static IReadOnlyDictionary<string, string> EnvExample => DotEnvFile.Parse(File.ReadAllText(RepositoryRoot.File(".env.example")));

    internal static DockerfileFacts Dockerfile(string? text = null) => DockerfileValidator.Check(
        text ?? File.ReadAllText(RepositoryRoot.File("Dockerfile")), RepositoryRoot.Path, TrafficCommandLine.BuildRoot, [WebPort, ManagementPort]);

    [Fact]
    public void The_variable_catalog_holds_what_hocon_and_code_read()
    {
        // From hocon/*.conf ${?...} lines.
        Assert.Contains("TRAFFIC_KAFKA_BOOTSTRAP", Known);
        Assert.Contains("TRAFFIC_NODE_ROLES", Known);
        Assert.Contains("TRAFFIC_SEED_NODES", Known);
        Assert.Contains("AWS_SECRET_ACCESS_KEY", Known);
        Assert.Contains("TRAFFIC_GENERATOR_RATE", Known);
        // From code: a GetEnvironmentVariable("...") call and ...EnvironmentVariable constants.
        Assert.Contains("TRAFFIC_HOCON_DIR", Known);
        Assert.Contains("TRAFFIC_ADMIN_TOKEN", Known);
        Assert.Contains("TRAFFIC_NODE", Known);
        // Variables only Compose or other images read are not in it.
        Assert.DoesNotContain("POSTGRES_PASSWORD", Known);
        Assert.DoesNotContain("FLEET_CARS", Known);
    }

    [Fact]
    public void The_compose_file_agrees_with_the_code()
    {
        var problems = new ComposeValidator(TrafficCommandLine.BuildRoot, Known, RepositoryRoot.File("hocon"), Dockerfile().HasHealthcheck)
            .Validate(Compose, EnvExample);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_compose_file_has_the_infrastructure_the_cluster_and_the_generator()
    {
        var compose = ComposeFile.Parse(Compose, EnvExample);
        Assert.StartsWith("apache/kafka:", compose.Find("kafka")!.Image);
        Assert.StartsWith("minio/minio:", compose.Find("minio")!.Image);
        Assert.StartsWith("postgres:", compose.Find("postgres")!.Image);

        var init = compose.Find("init")!;
        Assert.Equal("init", init.Command![0]);
        Assert.Equal([("kafka", "service_healthy"), ("minio", "service_healthy")], init.DependsOn.Select(d => (d.Service, d.Condition)).Order());

        var nodes = compose.Services.Where(s => s.HasBuild && s.Command is ["node", ..]).ToList();
        Assert.Equal(["node1", "node2", "node3", "web"], nodes.Select(n => n.Name).Order());
        Assert.All(nodes, n =>
        {
            Assert.Equal("akka.tcp://traffic@node1:4053,akka.tcp://traffic@node2:4053,akka.tcp://traffic@node3:4053", n.Environment["TRAFFIC_SEED_NODES"]);
            Assert.Equal(PersistenceSettings.PostgreSql, n.Environment["TRAFFIC_DB_PROVIDER"]);
            Assert.Equal("kafka:9092", n.Environment["TRAFFIC_KAFKA_BOOTSTRAP"]);
        });
        Assert.Contains(compose.Find("node1")!.DependsOn, d => d is { Service: "init", Condition: "service_completed_successfully" });
        Assert.Equal("web", compose.Find("web")!.Environment["TRAFFIC_NODE_ROLES"]);

        // The published ports are the HOCON defaults the README and the verbs use.
        Assert.Equal([WebPort], compose.Find("web")!.ContainerPorts);
        Assert.Equal(5080, WebPort);
        Assert.Equal([ManagementPort], compose.Find("node1")!.ContainerPorts);
        Assert.Equal(9110, ManagementPort);

        var generator = compose.Find("generator")!;
        Assert.Equal("generate", generator.Command![0]);
        Assert.True(generator.HealthcheckDisabled);
    }

    [Fact]
    public void Secrets_come_only_from_the_env_file()
    {
        // Without a .env, Compose refuses to start: every secret is a required variable, none has a default.
        var problems = new ComposeValidator(TrafficCommandLine.BuildRoot, Known, RepositoryRoot.File("hocon"), imageHasHealthcheck: true)
            .Validate(Compose, new Dictionary<string, string>());
        foreach (var secret in new[] { "POSTGRES_PASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "MINIO_ROOT_PASSWORD", "MINIO_ROOT_USER", "GRAFANA_ADMIN_PASSWORD" })
            Assert.Contains(problems, p => p.Contains($"required variable {secret} is not set", StringComparison.Ordinal));

        Assert.Contains(".env", File.ReadAllLines(RepositoryRoot.File(".gitignore")));
        Assert.Contains(".env", File.ReadAllLines(RepositoryRoot.File(".dockerignore")));
        // The seed's variable names are the ones .env.example documents.
        Assert.Superset(new HashSet<string> { "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL" }, EnvExample.Keys.ToHashSet());
    }

    [Fact]
    public void Prometheus_scrapes_every_node_and_Grafana_shows_it_from_the_shipped_files()
    {
        var compose = ComposeFile.Parse(Compose, EnvExample);
        var problems = new MonitoringValidator(RepositoryRoot.Path, RepositoryRoot.File("hocon")).Validate(compose);
        Assert.True(problems.Count == 0, string.Join('\n', problems));

        var prometheus = compose.Find(MonitoringValidator.PrometheusService)!;
        Assert.StartsWith("prom/prometheus:", prometheus.Image);
        Assert.Equal([9090], prometheus.ContainerPorts);
        Assert.Contains(prometheus.Volumes, v => v is { Source: "./observability/prometheus", Target: "/etc/prometheus", ReadOnly: true });
        var targets = MonitoringValidator.ScrapeTargets(File.ReadAllText(RepositoryRoot.File("observability", "prometheus", "prometheus.yml")));
        Assert.Equal(["node1:9110", "node2:9110", "node3:9110", "web:9110"], targets.Order());

        var grafana = compose.Find(MonitoringValidator.GrafanaService)!;
        Assert.StartsWith("grafana/grafana:", grafana.Image);
        Assert.Equal([3000], grafana.ContainerPorts);
        // The admin password is the .env's, required like every other secret.
        Assert.Equal(EnvExample["GRAFANA_ADMIN_PASSWORD"], grafana.Environment["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.Contains("${GRAFANA_ADMIN_PASSWORD:?", Compose, StringComparison.Ordinal);
        Assert.DoesNotContain(EnvExample["GRAFANA_ADMIN_PASSWORD"], Compose, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Dockerfile_builds_in_stages_and_runs_traffic_as_a_non_root_user()
    {
        var facts = Dockerfile();
        Assert.True(facts.Problems.Count == 0, string.Join('\n', facts.Problems));
        Assert.True(facts.HasHealthcheck);
        Assert.Contains(WebPort, facts.ExposedPorts);
        Assert.Contains(ManagementPort, facts.ExposedPorts);
    }
}
