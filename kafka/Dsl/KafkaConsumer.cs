using Akka.Streams.Dsl;

namespace TrafficActors.Kafka;

/// <summary>Akka.Streams sources reading Kafka.</summary>
public static class KafkaConsumer
{
    /// <summary>
    /// A source of raw Kafka records from <paramref name="topics"/>, consumed as member of the settings' group.
    /// <para>
    /// Delivery guarantee: at-least-once. A message counts only once <see cref="ICommittableOffset.MarkProcessed"/>
    /// is called (in any order, from any thread); per partition the source stores and commits the offset after
    /// the longest contiguous processed prefix. Unprocessed messages, and messages of partitions revoked before
    /// they were processed, are delivered again (here or to the partition's new owner). Messages of one
    /// partition are emitted in offset order.
    /// </para>
    /// <para>
    /// A dedicated thread polls Kafka into a channel of <see cref="ConsumerSettings.BufferSize"/>; when it is
    /// full the partitions are paused while polling continues, so a slow stream is never evicted from the group.
    /// Materializes an <see cref="IConsumerControl"/>; end the stream with
    /// <see cref="IConsumerControl.DrainAndShutdown"/> to commit everything processed.
    /// </para>
    /// </summary>
    public static Source<CommittableMessage, IConsumerControl> CommittableSource(
        ConsumerSettings settings, IReadOnlyCollection<string> topics)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count == 0)
        {
            throw new ArgumentException("At least one topic is required", nameof(topics));
        }

        var copy = topics.ToArray();
        return Source.FromGraph(new CommittableSourceStage(settings, copy));
    }

    /// <summary>
    /// Like <see cref="CommittableSource"/>, but each element is everything consumed since the previous pull, at most
    /// <paramref name="maxBatch"/> messages in poll order (so a busy downstream receives large batches and an idle
    /// one single messages, without waiting to fill a batch). Same delivery guarantee: at-least-once, each message's
    /// offset marked on its own; messages of one partition keep offset order within and across batches.
    /// </summary>
    public static Source<IReadOnlyList<CommittableMessage>, IConsumerControl> CommittableBatchSource(
        ConsumerSettings settings, IReadOnlyCollection<string> topics, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        if (topics.Count == 0)
        {
            throw new ArgumentException("At least one topic is required", nameof(topics));
        }

        return Source.FromGraph(new CommittableBatchSourceStage(settings, topics.ToArray(), maxBatch));
    }
}
