using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>A point-in-time view of a committable source, for operators and health checks.</summary>
/// <param name="Consumed">Messages returned by the Kafka consumer (including ones later dropped after revocation).</param>
/// <param name="Emitted">Messages pushed downstream.</param>
/// <param name="Processed">Emitted messages marked processed while their partition was still assigned.</param>
/// <param name="InFlight">Emitted, still-assigned messages not yet marked processed.</param>
/// <param name="Buffered">Messages waiting in the channel and the overflow kept while paused.</param>
/// <param name="Paused">Whether the assigned partitions are paused because the buffer is full.</param>
/// <param name="PauseCount">How often the source paused for backpressure.</param>
/// <param name="PartitionsAssigned">Partitions received in rebalances so far.</param>
/// <param name="PartitionsRevoked">Partitions revoked or lost in rebalances so far.</param>
/// <param name="Assignment">Partitions currently assigned.</param>
/// <param name="PausedPartitions">Assigned partitions the source holds paused (all of them while it is paused).</param>
/// <param name="Stalls">How often the progress watchdog found partitions stalled.</param>
/// <param name="Stalled">Partitions found stalled that have not returned a message since (empty when healthy).</param>
public sealed record ConsumerMetrics(
    long Consumed,
    long Emitted,
    long Processed,
    long InFlight,
    int Buffered,
    bool Paused,
    long PauseCount,
    long PartitionsAssigned,
    long PartitionsRevoked,
    IReadOnlyList<TopicPartition> Assignment,
    int PausedPartitions,
    long Stalls,
    IReadOnlyList<TopicPartition> Stalled);
