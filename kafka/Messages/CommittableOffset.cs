using Confluent.Kafka;

namespace TrafficActors.Kafka;

internal sealed class CommittableOffset : ICommittableOffset
{
    private readonly PartitionTracker _tracker;
    private readonly ConsumerRunner _runner;
    private int _marked;

    public CommittableOffset(PartitionTracker tracker, ConsumerRunner runner, TopicPartitionOffset topicPartitionOffset)
    {
        _tracker = tracker;
        _runner = runner;
        TopicPartitionOffset = topicPartitionOffset;
    }

    public TopicPartitionOffset TopicPartitionOffset { get; }

    public void MarkProcessed()
    {
        // Counting a duplicate mark would corrupt the processed set of a later, equal offset.
        if (Interlocked.Exchange(ref _marked, 1) == 0 && _tracker.MarkProcessed(TopicPartitionOffset.Offset.Value))
        {
            _runner.OnProcessed();
        }
    }

    public override string ToString() => $"CommittableOffset({TopicPartitionOffset})";
}
