using Akka.Cluster.Sharding;

namespace TrafficActors.Windows;

/// <summary>Routes window messages by entity id (window start + bucket).</summary>
public sealed class WindowMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is IWindowMessage m ? m.WindowId : null;
}
