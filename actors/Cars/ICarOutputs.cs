using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>
/// Where a car actor's results go (Kafka topics in production). Each write reports to its acknowledgement once it
/// is durable or has failed: a callback rather than a task per record, which is the hot path's largest allocation.
/// </summary>
public interface ICarOutputs
{
    void PublishEnriched(EnrichedSample sample, IOutputAck ack);

    void PublishAlert(Alert alert, IOutputAck ack);
}
