using Akka.Streams;
using Akka.Streams.Stage;

namespace TrafficActors.Kafka;

/// <summary>
/// Source stage emitting, per pull, everything the polling thread of a <see cref="ConsumerRunner"/> has put in its
/// channel since the last one (at most <c>maxBatch</c> messages, in poll order).
/// </summary>
internal sealed class CommittableBatchSourceStage : GraphStageWithMaterializedValue<SourceShape<IReadOnlyList<CommittableMessage>>, IConsumerControl>
{
    private readonly ConsumerSettings _settings;
    private readonly IReadOnlyCollection<string> _topics;
    private readonly int _maxBatch;

    public CommittableBatchSourceStage(ConsumerSettings settings, IReadOnlyCollection<string> topics, int maxBatch)
    {
        _settings = settings;
        _topics = topics;
        _maxBatch = maxBatch;
        Shape = new SourceShape<IReadOnlyList<CommittableMessage>>(Out);
    }

    public Outlet<IReadOnlyList<CommittableMessage>> Out { get; } = new("KafkaCommittableBatchSource.out");

    public override SourceShape<IReadOnlyList<CommittableMessage>> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaCommittableBatchSource");

    public override ILogicAndMaterializedValue<IConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var runner = new ConsumerRunner(_settings, _topics);
        var max = _maxBatch;
        return new LogicAndMaterializedValue<IConsumerControl>(
            new CommittableSourceLogic<IReadOnlyList<CommittableMessage>>(Shape, runner, r => r.TakeBatch(max)), runner);
    }
}
