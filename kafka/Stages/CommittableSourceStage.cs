using Akka.Streams;
using Akka.Streams.Stage;

namespace TrafficActors.Kafka;

/// <summary>Source stage emitting the messages the polling thread of a <see cref="ConsumerRunner"/> put in its channel, one at a time.</summary>
internal sealed class CommittableSourceStage : GraphStageWithMaterializedValue<SourceShape<CommittableMessage>, IConsumerControl>
{
    private readonly ConsumerSettings _settings;
    private readonly IReadOnlyCollection<string> _topics;

    public CommittableSourceStage(ConsumerSettings settings, IReadOnlyCollection<string> topics)
    {
        _settings = settings;
        _topics = topics;
        Shape = new SourceShape<CommittableMessage>(Out);
    }

    public Outlet<CommittableMessage> Out { get; } = new("KafkaCommittableSource.out");

    public override SourceShape<CommittableMessage> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaCommittableSource");

    public override ILogicAndMaterializedValue<IConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var runner = new ConsumerRunner(_settings, _topics);
        return new LogicAndMaterializedValue<IConsumerControl>(new CommittableSourceLogic<CommittableMessage>(Shape, runner, static r => r.TakeOne()), runner);
    }
}
