using Akka.Actor;
using Akka.Hosting;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Ingest;

namespace TrafficActors.Web.Health;

/// <summary><c>kafka_partitions</c>: the ingest consumer runs and holds partitions of the consumer group.</summary>
public sealed class KafkaPartitionsCheck(ActorSystem system, TimeSpan askTimeout) : IHealthCheck
{
    public const string Name = "kafka_partitions";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!ActorRegistry.For(system).TryGet<IngestActor>(out var ingest))
            return HealthCheckResult.Unhealthy("ingest stream not started (waits for the member to be Up)");
        try
        {
            var s = await ingest.Ask<IngestStatus>(GetIngestStatus.Instance, askTimeout, cancellationToken);
            if (s.Assignment.Count > 0) return HealthCheckResult.Healthy($"{s.Assignment.Count} partitions assigned: {Describe(s.Assignment)}");
            return HealthCheckResult.Unhealthy(s.Running ? "consumer running, no partitions assigned yet" : "consumer not running");
        }
        catch (Exception ex) when (ex is AskTimeoutException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("ingest actor did not answer in time");
        }
    }

    /// <summary>"raw-data 0,1,7" per topic, so an operator (or a test) sees which partitions this node consumes.</summary>
    public static string Describe(IReadOnlyList<TopicPartition> assignment) =>
        string.Join("; ", assignment.GroupBy(tp => tp.Topic).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {string.Join(",", g.Select(tp => tp.Partition.Value).Order())}"));
}
