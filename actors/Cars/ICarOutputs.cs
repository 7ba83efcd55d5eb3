using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>
/// Where a car actor's results go (Kafka topics in production). Each write reports to its acknowledgement once it
/// is durable or has failed: a callback rather than a task per record, which is the hot path's largest allocation.
/// </summary>
public interface ICarOutputs
{
    /// <param name="key">The car's record key (<see cref="WireFormat.CarKey"/>), shared by all its writes of a batch.</param>
    void PublishEnriched(EnrichedSample sample, byte[] key, IOutputAck ack);

    /// <inheritdoc cref="PublishEnriched"/>
    void PublishAlert(Alert alert, byte[] key, IOutputAck ack);
}
