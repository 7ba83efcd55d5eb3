using System.Diagnostics;
using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>
/// Where a car actor's results go (Kafka topics in production). Each write reports to its acknowledgement once it
/// is durable or has failed: a callback rather than a task per record, which is the hot path's largest allocation.
/// </summary>
public interface ICarOutputs
{
    /// <param name="key">The car's record key (<see cref="WireFormat.CarKey"/>), shared by all its writes of a batch.</param>
    /// <param name="ack">Told when the write is durable or has failed.</param>
    /// <param name="trace">The car's span when the event is traced (the write's span is its child), default otherwise.</param>
    void PublishEnriched(EnrichedSample sample, byte[] key, IOutputAck ack, in ActivityContext trace = default);

    /// <param name="alert">The alert to write.</param>
    /// <param name="sample">The enriched sample the alert is of: when it was the last one this thread wrote, its JSON
    /// is the alert's up to the violations, and is reused.</param>
    /// <param name="key">As for <see cref="PublishEnriched"/>.</param>
    /// <param name="ack">As for <see cref="PublishEnriched"/>.</param>
    /// <param name="trace">As for <see cref="PublishEnriched"/>.</param>
    void PublishAlert(Alert alert, EnrichedSample sample, byte[] key, IOutputAck ack, in ActivityContext trace = default);
}
