using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>A consumed Kafka record with raw key and value, and the handle to mark it processed.</summary>
public sealed record CommittableMessage(ConsumeResult<byte[]?, byte[]?> Record, ICommittableOffset Offset)
{
    public string Topic => Record.Topic;

    public Partition Partition => Record.Partition;

    public byte[]? Key => Record.Message.Key;

    public byte[]? Value => Record.Message.Value;
}
