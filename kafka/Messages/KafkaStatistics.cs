namespace TrafficActors.Kafka;

/// <summary>
/// One of librdkafka's periodic statistics reports (<c>statistics.interval.ms</c>), reduced to the figures an
/// operator watches: the client's queues, each broker's round trip and each partition's queues and consumer lag.
/// </summary>
/// <param name="Name">The client instance's name (client id plus a per-process sequence, e.g. <c>traffic-ingest#consumer-1</c>).</param>
/// <param name="ClientId">The configured <c>client.id</c>.</param>
/// <param name="Type"><c>consumer</c> or <c>producer</c>.</param>
/// <param name="ReplyQueue">Operations (callbacks, events) waiting for the application to serve them with a poll.</param>
/// <param name="QueuedMessages">Messages in the producer's queues, waiting to be sent or acknowledged.</param>
/// <param name="QueuedBytes">Their total size in bytes.</param>
/// <param name="Brokers">The brokers the client talks to (bootstrap and coordinator placeholders left out).</param>
/// <param name="Partitions">Partitions of the topics the client knows, assigned or not.</param>
public sealed record KafkaStatistics(
    string Name,
    string ClientId,
    string Type,
    long ReplyQueue,
    long QueuedMessages,
    long QueuedBytes,
    IReadOnlyList<BrokerStatistics> Brokers,
    IReadOnlyList<PartitionStatistics> Partitions)
{
    /// <summary>Figures from librdkafka's statistics JSON; null when the text is not such a report.</summary>
    public static KafkaStatistics? Parse(string json) => StatisticsParser.Parse(json);
}
