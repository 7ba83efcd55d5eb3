using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>Materialized value of <see cref="KafkaConsumer.CommittableSource"/>: lifecycle and metrics.</summary>
public interface IConsumerControl
{
    /// <summary>Completes when the Kafka consumer is closed and disposed; faults if the source failed.</summary>
    Task Stopped { get; }

    /// <summary>Partitions currently assigned to this member.</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>Whether fetching is paused because the stream is slower than Kafka.</summary>
    bool IsPaused { get; }

    ConsumerMetrics Metrics { get; }

    /// <summary>
    /// Stops emitting messages and completes the stream; the consumer stays in the group so offsets of messages
    /// still being processed can be committed. Follow with <see cref="Shutdown"/> or <see cref="DrainAndShutdown"/>.
    /// </summary>
    Task StopFetching();

    /// <summary>
    /// Stops fetching, waits until every emitted message is marked processed (or <paramref name="timeout"/>
    /// passes), commits, closes the consumer (leaving the group) and completes the stream.
    /// </summary>
    Task DrainAndShutdown(TimeSpan timeout);

    /// <summary>Commits what is processed so far, closes the consumer and completes the stream.</summary>
    Task Shutdown();
}
