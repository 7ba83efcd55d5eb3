namespace TrafficActors.Web.Api;

/// <summary>
/// This node's ingest consumer as operators need it when consumption looks slow or flat: whether it holds fetching
/// back (paused, buffered), and whether its watchdog found partitions that stopped delivering.
/// </summary>
/// <param name="Paused">Fetching paused because the stream is slower than Kafka (normal under load).</param>
/// <param name="Buffered">Messages fetched and not yet taken by the stream.</param>
/// <param name="PausedPartitions">Assigned partitions held paused.</param>
/// <param name="Stalls">Stalls the watchdog found on this consumer; each one is healed or restarts the stream.</param>
/// <param name="StalledPartitions">Partitions stalled right now (empty when healthy).</param>
/// <param name="AssignedPartitions">Partition numbers this node consumes now.</param>
/// <param name="Consumed">Messages the node's ingest stream took from Kafka since the node started.</param>
public sealed record IngestView(
    bool Paused, int Buffered, int PausedPartitions, long Stalls, IReadOnlyList<string> StalledPartitions,
    IReadOnlyList<int> AssignedPartitions, long Consumed)
{
    public static IngestView? From(TrafficActors.Metrics.PipelineMetrics metrics) =>
        metrics.Ingest is not { } m
            ? null
            : new IngestView(m.Paused, m.Buffered, m.PausedPartitions, metrics.IngestStalls,
                m.Stalled.Select(tp => $"{tp.Topic}[{tp.Partition.Value}]").ToArray(),
                m.Assignment.Select(tp => tp.Partition.Value).Order().ToArray(), metrics.Consumed);
}
