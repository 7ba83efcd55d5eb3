using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>One message to produce; without <paramref name="Partition"/> the key picks the partition.</summary>
public sealed record ProducerRecord(string Topic, Message<byte[]?, byte[]?> Message, int? Partition = null)
{
    public ProducerRecord(string topic, byte[]? key, byte[]? value)
        : this(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value })
    {
    }
}
