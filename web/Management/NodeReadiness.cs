using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using TrafficActors.Ingest;
using TrafficActors.Metrics;
using TrafficActors.Reference;

namespace TrafficActors.Web.Management;

/// <summary>
/// Whether this node should receive work: it is an Up cluster member, its reference data is loaded and, on an
/// ingest node, its Kafka consumer holds partitions and none of them is stalled; on a windows node, its window
/// buckets reach their journal.
/// </summary>
public sealed class NodeReadiness(ActorSystem system, ReferenceDataStore reference, bool ingestRole, TimeSpan askTimeout, JournalHealth? windowJournal = null)
{
    public const string Ready = "ready";
    public const string NotReady = "not_ready";
    public const string Alive = "alive";

    public async Task<HealthReport> CheckAsync(CancellationToken ct = default)
    {
        var checks = new List<HealthCheck>();
        var status = Cluster.Get(system).SelfMember.Status;
        checks.Add(new HealthCheck("member_up", status == MemberStatus.Up, status.ToString()));
        checks.Add(new HealthCheck(
            "reference_data", reference.IsLoaded,
            reference.IsLoaded ? reference.Current.Version : "reference data not loaded yet"));
        if (ingestRole) checks.AddRange(await IngestChecksAsync(ct));
        if (windowJournal is not null)
        {
            checks.Add(windowJournal.InOutage
                ? new HealthCheck("window_journal", false, $"window journal unreachable ({windowJournal.Failures} failed calls so far); alerts wait until it is back")
                : new HealthCheck("window_journal", true, "window journal reachable"));
        }

        return new HealthReport(checks.TrueForAll(c => c.Ok) ? Ready : NotReady, checks);
    }

    private async Task<HealthCheck[]> IngestChecksAsync(CancellationToken ct)
    {
        const string name = "kafka_partitions";
        if (!ActorRegistry.For(system).TryGet<IngestActor>(out var ingest))
            return [new HealthCheck(name, false, "ingest stream not started (waits for the member to be Up)")];
        try
        {
            var s = await ingest.Ask<IngestStatus>(GetIngestStatus.Instance, askTimeout, ct);
            var partitions = s.Assignment.Count > 0
                ? new HealthCheck(name, true, $"{s.Assignment.Count} partitions assigned: {Describe(s.Assignment)}")
                : new HealthCheck(name, false, s.Running ? "consumer running, no partitions assigned yet" : "consumer not running");
            return [partitions, ProgressCheck(s.Consumer)];
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
        {
            return [new HealthCheck(name, false, "ingest actor did not answer in time")];
        }
    }

    /// <summary>Fails while the consumer's watchdog finds assigned partitions that stopped delivering.</summary>
    public static HealthCheck ProgressCheck(TrafficActors.Kafka.ConsumerMetrics? consumer)
    {
        const string name = "ingest_progress";
        if (consumer is null) return new HealthCheck(name, true, "consumer starting");
        if (consumer.Stalled.Count > 0)
            return new HealthCheck(name, false, $"stalled: no message although the broker holds more from {Describe(consumer.Stalled)}");
        return new HealthCheck(name, true, consumer.Paused
            ? $"paused for backpressure, {consumer.Buffered} buffered"
            : $"fetching, {consumer.Buffered} buffered");
    }

    /// <summary>"raw-data 0,1,7" per topic, so an operator (or a test) sees which partitions this node consumes.</summary>
    private static string Describe(IReadOnlyList<Confluent.Kafka.TopicPartition> assignment) =>
        string.Join("; ", assignment.GroupBy(tp => tp.Topic).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {string.Join(",", g.Select(tp => tp.Partition.Value).Order())}"));
}
