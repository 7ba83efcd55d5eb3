using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Zero or more messages to produce together with a value passed through to the matching
/// <see cref="ProducerResult{TPass}"/> (typically the <see cref="ICommittableOffset"/> of the input message).
/// </summary>
public sealed record ProducerEnvelope<TPass>(IReadOnlyList<ProducerRecord> Records, TPass PassThrough)
{
    /// <summary>No message: the pass-through value still flows, in order, once earlier envelopes are delivered.</summary>
    public ProducerEnvelope(TPass passThrough)
        : this(Array.Empty<ProducerRecord>(), passThrough)
    {
    }

    public ProducerEnvelope(string topic, Message<byte[]?, byte[]?> message, TPass passThrough)
        : this(new[] { new ProducerRecord(topic, message) }, passThrough)
    {
    }

    public ProducerEnvelope(string topic, IEnumerable<Message<byte[]?, byte[]?>> messages, TPass passThrough)
        : this(messages.Select(m => new ProducerRecord(topic, m)).ToArray(), passThrough)
    {
    }
}
