using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Produces envelopes with bounded parallelism and emits results in input order. A stage rather than
/// SelectAsync because an owned producer must live exactly as long as one materialization.
/// </summary>
internal sealed class ProducerFlowStage<TPass> : GraphStage<FlowShape<ProducerEnvelope<TPass>, ProducerResult<TPass>>>
{
    public ProducerFlowStage(ProducerSettings settings, IProducer<byte[]?, byte[]?>? sharedProducer)
    {
        Settings = settings;
        SharedProducer = sharedProducer;
        Shape = new FlowShape<ProducerEnvelope<TPass>, ProducerResult<TPass>>(In, Out);
    }

    public ProducerSettings Settings { get; }

    public IProducer<byte[]?, byte[]?>? SharedProducer { get; }

    public Inlet<ProducerEnvelope<TPass>> In { get; } = new("KafkaProducer.in");

    public Outlet<ProducerResult<TPass>> Out { get; } = new("KafkaProducer.out");

    public override FlowShape<ProducerEnvelope<TPass>, ProducerResult<TPass>> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaProducerFlow");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new ProducerFlowLogic<TPass>(this);
}
