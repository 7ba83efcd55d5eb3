using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>Where a car actor's results go (Kafka topics in production). Tasks complete when the write is durable.</summary>
public interface ICarOutputs
{
    Task PublishEnriched(EnrichedSample sample);

    Task PublishAlert(Alert alert);
}
