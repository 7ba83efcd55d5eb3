using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>Emitted once every record of the envelope has a successful delivery report, in envelope order.</summary>
public sealed record ProducerResult<TPass>(IReadOnlyList<DeliveryResult<byte[]?, byte[]?>> Deliveries, TPass PassThrough);
