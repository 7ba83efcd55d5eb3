namespace TrafficActors.Kafka;

/// <summary>One partition as a client sees it in a statistics report.</summary>
/// <param name="Topic">The partition's topic.</param>
/// <param name="Partition">The partition number.</param>
/// <param name="Assigned">Whether the consumer holds the partition (librdkafka's <c>desired</c>); false for producers.</param>
/// <param name="ConsumerLag">The partition's end (high watermark, or last stable offset when reading committed) minus the consumer's committed offset; null when unknown.</param>
/// <param name="QueuedMessages">Messages the producer holds for the partition, not yet sent or acknowledged.</param>
/// <param name="FetchedMessages">Messages the consumer fetched from the partition and no poll returned yet.</param>
/// <param name="TransmittedMessages">Messages the producer sent to the partition since the client started.</param>
/// <param name="ReceivedMessages">Messages the consumer fetched from the partition since the client started.</param>
public sealed record PartitionStatistics(
    string Topic,
    int Partition,
    bool Assigned,
    long? ConsumerLag,
    long QueuedMessages,
    long FetchedMessages,
    long TransmittedMessages,
    long ReceivedMessages);
