using TrafficActors.Domain;
using TrafficActors.Host.Node;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Pipeline;

/// <summary>Restarting the consuming node mid-stream loses nothing and resumes from the committed offsets.</summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_event_is_processed_at_least_once_across_a_restart_and_offsets_resume()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        var data = Dataset.Create(4000, WindowKey.StartOf(DateTimeOffset.UtcNow.AddMinutes(-4), TimeSpan.FromMinutes(1)), seed: 11);
        // Small in-flight window so the stop really lands mid-stream.
        var options = TestNodes.Options(broker, dir, "traffic.ingest.parallelism = 16\ntraffic.kafka.consumer.buffer-size = 64");

        var first = await TrafficNode.StartAsync(options);
        var firstMetrics = first.Metrics;
        var producing = KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", data.Messages());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (firstMetrics.Processed < 1000 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var processedBeforeStop = firstMetrics.Processed;
        Assert.True(processedBeforeStop >= 1000, $"first node processed only {processedBeforeStop}");
        await first.DisposeAsync();
        var afterFirst = firstMetrics.Processed + firstMetrics.DeadLettered;
        output.WriteLine($"first node handled {afterFirst} before stopping");
        await producing;
        var total = data.Valid.Count + data.Malformed.Count;
        Assert.True(afterFirst < total, "the first node should have stopped mid-stream");

        await using var second = await TrafficNode.StartAsync(options);
        deadline = DateTime.UtcNow.AddSeconds(90);
        while (second.Metrics.Processed + second.Metrics.DeadLettered < total - afterFirst && DateTime.UtcNow < deadline) await Task.Delay(50);

        var enriched = KafkaTestClient.ReadTopic(
            broker.BootstrapServers, "samples-enriched",
            r => r.Select(m => WireFormat.ReadEnriched(m.Message.Value).EventId).Distinct().Count() >= data.Valid.Count,
            TimeSpan.FromSeconds(60));
        var ids = enriched.Select(m => WireFormat.ReadEnriched(m.Message.Value).EventId).ToList();
        var missing = data.Valid.Select(e => e.EventId).Except(ids).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} events never processed, e.g. {string.Join(", ", missing.Take(5))}");

        // Resumed from committed offsets: the second node re-handled at most what was in flight, not the topic.
        var secondHandled = second.Metrics.Processed + second.Metrics.DeadLettered;
        var redelivered = afterFirst + secondHandled - total;
        output.WriteLine($"second node handled {secondHandled}; redelivered {redelivered}; enriched records {enriched.Count}");
        Assert.InRange(redelivered, 0, 12 * 64 + 16);

        await second.StopAsync();
        var offsets = KafkaTestClient.GroupOffsets(broker.BootstrapServers, "traffic-actors", "raw-data");
        // A partition that never received a message has nothing to commit.
        Assert.All(offsets, o => Assert.Equal(o.End, o.End == 0 ? Math.Max(0, o.Committed) : o.Committed));
    }
}
