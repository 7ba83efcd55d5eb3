using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>Akka.Streams flows and sinks writing to Kafka.</summary>
public static class KafkaProducer
{
    /// <summary>
    /// Builds a producer with raw byte keys and values from <paramref name="settings"/>; the caller disposes it.
    /// Delivery guarantee of the producer itself: with idempotence (the default) librdkafka retries without
    /// duplicating or reordering within a partition; ProduceAsync completes only with the broker's acknowledgement.
    /// </summary>
    public static IProducer<byte[]?, byte[]?> CreateProducer(ProducerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ProducerBuilder<byte[]?, byte[]?>(settings.ToProducerConfig()).Build();
    }

    /// <summary>
    /// Produces every record of each envelope and emits a <see cref="ProducerResult{TPass}"/> only after all of
    /// them are acknowledged by Kafka (per <see cref="ProducerSettings.Acks"/>), in envelope order, with up to
    /// <see cref="ProducerSettings.Parallelism"/> envelopes in flight. A failed delivery fails the stream.
    /// <para>
    /// Delivery guarantee: at-least-once when the pass-through offset is marked processed only after its result
    /// arrives: a crash before that re-consumes and re-produces the input. Duplicates are possible across
    /// restarts, never losses.
    /// </para>
    /// Without <paramref name="sharedProducer"/> each materialization creates its own producer and disposes it
    /// when the stream ends; a shared producer stays owned by the caller.
    /// </summary>
    public static Flow<ProducerEnvelope<TPass>, ProducerResult<TPass>, NotUsed> FlexiFlow<TPass>(
        ProducerSettings settings, IProducer<byte[]?, byte[]?>? sharedProducer = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Flow.FromGraph(new ProducerFlowStage<TPass>(settings, sharedProducer));
    }

    /// <summary>
    /// Produces each record; the materialized task completes when the stream completed and every record was
    /// acknowledged, and faults on the first failed delivery.
    /// Delivery guarantee: at-least-once for records that reached the sink before its task completed.
    /// </summary>
    public static Sink<ProducerRecord, Task> PlainSink(
        ProducerSettings settings, IProducer<byte[]?, byte[]?>? sharedProducer = null) =>
        Flow.Create<ProducerRecord>()
            .Select(record => new ProducerEnvelope<NotUsed>(new[] { record }, NotUsed.Instance))
            .Via(FlexiFlow<NotUsed>(settings, sharedProducer))
            .ToMaterialized(Sink.Ignore<ProducerResult<NotUsed>>(), Keep.Right)
            .MapMaterializedValue(done => (Task)done);
}
