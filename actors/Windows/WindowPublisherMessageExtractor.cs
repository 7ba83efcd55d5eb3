using Akka.Cluster.Sharding;

namespace TrafficActors.Windows;

/// <summary>Routes window publisher messages to the publisher of their window (entity id = window start).</summary>
public sealed class WindowPublisherMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is IWindowPublisherMessage m ? m.WindowId : null;
}
