using Xunit;

namespace TrafficActors.Tests.Kafka;

/// <summary>Kafka tests share one mock cluster and run one at a time: the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaClusterFixture>
{
    public const string Name = "Kafka";
}
