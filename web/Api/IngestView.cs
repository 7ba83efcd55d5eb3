using TrafficActors.Kafka;

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
public sealed record IngestView(bool Paused, int Buffered, int PausedPartitions, long Stalls, IReadOnlyList<string> StalledPartitions)
{
    public static IngestView? From(ConsumerMetrics? m, long stallsOnNode) =>
        m is null
            ? null
            : new IngestView(m.Paused, m.Buffered, m.PausedPartitions, stallsOnNode,
                m.Stalled.Select(tp => $"{tp.Topic}[{tp.Partition.Value}]").ToArray());
}
