using System.Net;
using System.Text.Json;
using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Web.Health;
using TrafficActors.Windows;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Pipeline;

/// <summary>
/// A running node whose ingest consumer silently stops fetching (its partitions paused behind the source's back, the
/// end state of the rebalance and dropped-resume defects) heals itself, counts the stall and shows it to operators.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class IngestWatchdogTests(ITestOutputHelper output)
{
    private const string NodeHocon = """
        traffic.management.port = 0
        traffic.kafka.consumer.stall-timeout = 1s
        """;

    [Fact]
    public async Task A_node_whose_consumer_stops_fetching_heals_counts_and_reports_the_stall()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, NodeHocon));
        using var http = new HttpClient();
        await Poll.Until(async () => (await http.GetAsync(node.ManagementUrl + "/ready")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "node ready");

        var start = WindowKey.StartOf(DateTimeOffset.UtcNow.AddMinutes(-3), TimeSpan.FromMinutes(1));
        var first = Dataset.Create(100, start, seed: 1);
        await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", first.Messages());
        await Poll.Until(() => Task.FromResult(node.Metrics.Processed >= first.Valid.Count), TimeSpan.FromSeconds(30), "first batch processed");
        Assert.Equal(0, node.Metrics.IngestStalls);

        var runner = (ConsumerRunner)node.Metrics.IngestControl!;
        runner.OnPollThread(c => c.Pause(c.Assignment));
        var second = Dataset.Create(100, start, seed: 2);
        await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", second.Messages());

        await Poll.Until(() => Task.FromResult(node.Metrics.Processed >= first.Valid.Count + second.Valid.Count),
            TimeSpan.FromSeconds(30), "second batch processed after the stall");
        // One stall, or two when a partition the watchdog found caught up received its share of the second batch
        // only after that check: it then stalls on its own a second later, and the second stall restarts the source
        // with a fresh consumer. Either way every report below must agree with the node's own count.
        var stalls = node.Metrics.IngestStalls;
        Assert.InRange(stalls, 1, 2);

        var metrics = PrometheusText.Parse(await http.GetStringAsync(node.ManagementUrl + "/metrics"));
        Assert.Equal(stalls, metrics["traffic_kafka_consumer_stalls_total"]);
        Assert.Equal(0, metrics["traffic_kafka_consumer_stalled_partitions"]);
        using var stats = JsonDocument.Parse(await http.GetStringAsync(node.BaseUrl + "/api/stats"));
        var ingest = stats.RootElement.GetProperty("ingest");
        Assert.Equal(stalls, ingest.GetProperty("stalls").GetInt64());
        Assert.Equal(0, ingest.GetProperty("stalled_partitions").GetArrayLength());
        using var lag = JsonDocument.Parse(await http.GetStringAsync(node.ManagementUrl + "/kafka/lag"));
        Assert.Equal(stalls, lag.RootElement.GetProperty("consumer").GetProperty("stalls").GetInt64());
        var ready = await http.GetStringAsync(node.ManagementUrl + "/ready");
        output.WriteLine(ready);
        Assert.Contains("ingest_progress", ready);
    }

    [Fact]
    public void Readiness_fails_while_a_partition_is_stalled_and_names_it()
    {
        var stalled = new Confluent.Kafka.TopicPartition("raw-data", new Confluent.Kafka.Partition(7));
        var metrics = new ConsumerMetrics(10, 10, 10, 0, 0, false, 0, 12, 0, [stalled], 0, 1, [stalled]);
        var check = IngestProgressCheck.Evaluate(metrics);
        Assert.Equal(HealthStatus.Unhealthy, check.Status);
        Assert.Contains("raw-data 7", check.Description);

        Assert.Equal(HealthStatus.Healthy, IngestProgressCheck.Evaluate(metrics with { Stalled = [] }).Status);
        Assert.Equal(HealthStatus.Healthy, IngestProgressCheck.Evaluate(null).Status);
    }
}
