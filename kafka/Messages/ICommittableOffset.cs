using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>Position of one consumed message; tells the source the message is fully processed.</summary>
public interface ICommittableOffset
{
    /// <summary>Topic, partition and offset of the consumed message (not the offset that will be committed).</summary>
    TopicPartitionOffset TopicPartitionOffset { get; }

    /// <summary>
    /// Marks the message processed. May be called from any thread, in any order, more than once. The source
    /// commits a partition only up to its longest contiguous processed prefix (at-least-once); after the
    /// partition was revoked the call is ignored and the new owner re-reads the message.
    /// </summary>
    void MarkProcessed();
}
