using TrafficActors.Host.Commands;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Deployment;

/// <summary>
/// Each check of <see cref="ComposeValidator"/> and <see cref="DockerfileValidator"/> on a small file with one
/// mistake: the mistake is reported, so a clean report on the real files means something.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class ComposeValidatorTests
{
    private const string Good = """
        services:
          kafka:
            image: apache/kafka:4.1.0
            healthcheck:
              test: ["CMD", "true"]
          seed:
            build: .
            command: ["node", "--roles", "ingest"]
            environment:
              TRAFFIC_KAFKA_BOOTSTRAP: ${BOOTSTRAP:-kafka:9092}
              TRAFFIC_AKKA_HOST: seed
              TRAFFIC_AKKA_PORT: "4053"
              TRAFFIC_SEED_NODES: akka.tcp://traffic@seed:4053
              TRAFFIC_MANAGEMENT_HOST: 0.0.0.0
            ports: ["9110:9110"]
            restart: unless-stopped
            healthcheck:
              test: ["CMD", "dotnet", "traffic.dll", "health"]
            depends_on:
              kafka:
                condition: service_healthy
          once:
            build: .
            command: ["generate", "--count", "10"]
            environment:
              TRAFFIC_KAFKA_BOOTSTRAP: kafka:9092
            depends_on:
              seed:
                condition: service_healthy
        """;

    private static IReadOnlyList<string> Validate(string yaml, Dictionary<string, string>? env = null) =>
        new ComposeValidator(TrafficCommandLine.BuildRoot, EnvironmentVariableCatalog.Scan(RepositoryRoot.Path), RepositoryRoot.File("hocon"), imageHasHealthcheck: false)
            .Validate(yaml, env ?? []);

    [Fact]
    public void The_small_good_file_passes()
    {
        var problems = Validate(Good);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("""["node", "--roles", "ingest"]""", """["node", "--rolez", "ingest"]""", "--rolez")]
    [InlineData("""["node", "--roles", "ingest"]""", """["nodes"]""", "nodes")]
    [InlineData("""["generate", "--count", "10"]""", """["generate", "--count", "ten"]""", "ten")]
    [InlineData("""      TRAFFIC_AKKA_HOST: seed""", "      TRAFFIC_AKKA_HOST: seed\n      TRAFFIC_KAFKA_BOOTSTRAPS: kafka:9092", "TRAFFIC_KAFKA_BOOTSTRAPS is not read by the code")]
    [InlineData("""["9110:9110"]""", """["8080:8080"]""", "port 8080 is published or exposed but `traffic node` does not listen on it")]
    [InlineData("      TRAFFIC_MANAGEMENT_HOST: 0.0.0.0\n", "", "management endpoint listens on 127.0.0.1 only")]
    [InlineData("akka.tcp://traffic@seed:4053", "akka.tcp://traffic@seed:4054", "listens for Akka.Remote on port 4053")]
    [InlineData("akka.tcp://traffic@seed:4053", "akka.tcp://other@seed:4053", "is not an akka.tcp://traffic@host:port address")]
    [InlineData("TRAFFIC_AKKA_HOST: seed", "TRAFFIC_AKKA_HOST: localhost", "other nodes reach this one as 'seed'")]
    [InlineData("TRAFFIC_AKKA_PORT: \"4053\"", "TRAFFIC_AKKA_PORT: \"four\"", "configuration does not load")]
    [InlineData("${BOOTSTRAP:-kafka:9092}", "broker:9092", "Kafka host 'broker' is not a service of this file")]
    [InlineData("${BOOTSTRAP:-kafka:9092}", "${BOOTSTRAP:?set BOOTSTRAP}", "required variable BOOTSTRAP is not set")]
    [InlineData("      TRAFFIC_KAFKA_BOOTSTRAP: ${BOOTSTRAP:-kafka:9092}\n", "", "would start its own embedded broker")]
    [InlineData("""    healthcheck:\n      test: ["CMD", "true"]\n""", "", "service_healthy, but kafka has no health check")]
    [InlineData("""["CMD", "dotnet", "traffic.dll", "health"]""", """["CMD", "dotnet", "traffic.dll", "helth"]""", "helth")]
    [InlineData("""["CMD", "dotnet", "traffic.dll", "health"]""", """["CMD", "curl", "-f", "http://localhost:9110/ready"]""", "no curl or wget")]
    [InlineData("    depends_on:\n      kafka:\n        condition: service_healthy\n", "    depends_on: [kafka]\n", "depends_on kafka: needs a condition")]
    [InlineData("    depends_on:\n      kafka:\n        condition: service_healthy\n", "    depends_on:\n      kafka:\n        condition: service_healthy\n      zookeeper:\n        condition: service_started\n", "depends_on zookeeper: no such service")]
    [InlineData("    depends_on:\n      kafka:\n        condition: service_healthy\n", "", "uses Kafka on 'kafka' but does not wait for it")]
    [InlineData("      seed:\n        condition: service_healthy", "      seed:\n        condition: service_completed_successfully", "restarts (unless-stopped) and never completes")]
    public void A_mistake_is_reported(string find, string replace, string expected)
    {
        var yaml = Good.Replace("\r\n", "\n", StringComparison.Ordinal).Replace(find.Replace("\\n", "\n", StringComparison.Ordinal), replace, StringComparison.Ordinal);
        Assert.NotEqual(Good, yaml);
        var problems = Validate(yaml);
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected '{expected}' in:\n{string.Join('\n', problems)}");
    }

    [Theory]
    [InlineData("USER $APP_UID", "USER root", "non-root USER")]
    [InlineData("""ENTRYPOINT ["dotnet", "traffic.dll"]""", "ENTRYPOINT dotnet traffic.dll", "exec (JSON array) form")]
    [InlineData("""CMD ["dotnet", "traffic.dll", "health"]""", "CMD curl -f http://localhost:9110/ready", "HEALTHCHECK")]
    [InlineData("""CMD ["dotnet", "traffic.dll", "health"]""", """CMD ["dotnet", "traffic.dll", "health", "--verbose"]""", "--verbose")]
    [InlineData("""CMD ["run", "--urls", "http://0.0.0.0:5080"]""", """CMD ["runn"]""", "runn")]
    [InlineData("EXPOSE 5080 9110 4053", "EXPOSE 4053", "EXPOSE does not list port 5080")]
    [InlineData("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime", "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS runtime", "final stage must be FROM")]
    [InlineData("COPY --from=build /app ./", "COPY publish/ ./", "does not copy the published binaries")]
    [InlineData("COPY host/TrafficActors.Host.csproj host/", "COPY host/Traffic.Host.csproj host/", "COPY source 'host/Traffic.Host.csproj' does not exist")]
    public void A_Dockerfile_mistake_is_reported(string find, string replace, string expected)
    {
        var text = File.ReadAllText(RepositoryRoot.File("Dockerfile"));
        Assert.Contains(find, text);
        var problems = ComposeFileTests.Dockerfile(text.Replace(find, replace, StringComparison.Ordinal)).Problems;
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected '{expected}' in:\n{string.Join('\n', problems)}");
    }
}
