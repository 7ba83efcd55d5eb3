using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;

namespace TrafficActors.Cars;

/// <summary>Sharding settings of the car region.</summary>
public static class CarSharding
{
    /// <summary>
    /// The node's sharding settings with idle passivation after <paramref name="idleTimeout"/>. The shard tracks its
    /// entities' last message itself, which costs an idle car far less than a timer of its own; the window region
    /// keeps the node-wide setting (off: buckets must stay until their retention ends).
    /// </summary>
    public static ClusterShardingSettings Settings(ActorSystem system, TimeSpan idleTimeout)
    {
        var config = system.Settings.Config;
        var sharding = ConfigurationFactory
            .ParseString("passivate-idle-entity-after = " + ((long)idleTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms")
            .WithFallback(config.GetConfig("akka.cluster.sharding"));
        return ClusterShardingSettings.Create(sharding, config.GetConfig("akka.cluster.singleton"));
    }
}
