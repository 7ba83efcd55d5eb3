using TrafficActors.Host.Node;
using TrafficActors.Kafka.Testkit;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Observability;

/// <summary>
/// One all-in-one node with some telemetry processed, and a real Prometheus scraping it every second with the shipped
/// prometheus.yml (only its targets and intervals rewritten) and the shipped alert rules.
/// </summary>
public sealed class MonitoringStack : IAsyncLifetime
{
    private const string Interval = "1s";
    private const string NodeHocon = """
        traffic.management.port = 0
        traffic.management.refresh-interval = 200ms
        traffic.telemetry.metrics.kafka-statistics-interval = 500ms
        traffic.windows.publish-interval = 50ms
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private EmbeddedKafkaCluster? _broker;
    private TempDir? _dir;

    internal TrafficNode Node { get; private set; } = null!;

    internal PrometheusServer Prometheus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _broker = PipelineEndToEndTests.StartBroker();
        _dir = new TempDir();
        Node = await TrafficNode.StartAsync(TestNodes.Options(_broker, _dir, NodeHocon));
        var target = new Uri(Node.ManagementUrl).Authority;
        Prometheus = await PrometheusServer.StartAsync(
            ShippedMonitoring.PrometheusConfigFor(target, Interval),
            new Dictionary<string, string> { [Path.GetFileName(ShippedMonitoring.Rules)] = File.ReadAllText(ShippedMonitoring.Rules) });

        // A scrape before the telemetry, so every counter has a sample from before it rose; then two batches, a scrape
        // apart, because a histogram is exported only from its first measurement on and needs a sample before it rose too.
        await Poll.Until(async () => await HasDataAsync("traffic_events_processed_total"), Timeout, () => $"a first scrape of {target}: {Prometheus.Output}");
        var start = WindowKey.StartOf(DateTimeOffset.UtcNow.AddMinutes(-3), TimeSpan.FromMinutes(1));
        var processed = 0;
        foreach (var seed in new[] { 1, 2 })
        {
            var batch = Dataset.Create(100, start, seed);
            await KafkaTestClient.ProduceAllAsync(_broker.BootstrapServers, "raw-data", batch.Messages());
            processed += batch.Valid.Count;
            await Poll.Until(() => Task.FromResult(Node.Metrics.Processed >= processed), Timeout, $"{processed} events processed");
            await Poll.Until(
                async () => (await ValuesAsync("traffic_processing_latency_seconds_count")).Any(v => v >= processed),
                Timeout, $"a scrape after {processed} events were processed");
        }
    }

    /// <summary>The values of an instant query's series.</summary>
    internal async Task<IReadOnlyList<double>> ValuesAsync(string promql) =>
        (await Prometheus.QueryAsync(promql)).GetProperty("result").EnumerateArray()
            .Select(r => double.Parse(r.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>Whether an instant query returns at least one series.</summary>
    internal async Task<bool> HasDataAsync(string promql) =>
        (await Prometheus.QueryAsync(promql)).GetProperty("result").GetArrayLength() > 0;

    public async Task DisposeAsync()
    {
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        if (Node is not null) await Node.DisposeAsync();
        _broker?.Dispose();
        _dir?.Dispose();
    }
}
