using Akka.Cluster.Sharding;

namespace TrafficActors.Windows;

/// <summary>Routes <see cref="PublishWindow"/> to the publisher of its window (entity id = window start).</summary>
public sealed class WindowPublisherMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is PublishWindow p ? p.WindowId : null;
}
