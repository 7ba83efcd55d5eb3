using Akka.Actor;
using Akka.Cluster.Sharding;
using Microsoft.Extensions.Logging;
using TrafficActors.Kafka;
using TrafficActors.Settings;

namespace TrafficActors.Web.Management;

/// <summary>What the management routes work with; assembled by the host once the actor system runs.</summary>
public sealed class ManagementContext
{
    public required ActorSystem System { get; init; }

    public required ManagementSettings Settings { get; init; }

    public required AdminToken AdminToken { get; init; }

    /// <summary>Every shard region type of the cluster: this node's region, or its proxy when it does not host it.</summary>
    public required IReadOnlyDictionary<string, IActorRef> Regions { get; init; }

    /// <summary>Region types this node hosts entities of.</summary>
    public required IReadOnlySet<string> HostedRegions { get; init; }

    public required string CarRegionType { get; init; }

    public required IMessageExtractor CarExtractor { get; init; }

    public required IActorRef DashboardView { get; init; }

    public required ConsumerLagReader LagReader { get; init; }

    public required string RawTopic { get; init; }

    public required TrafficActors.Metrics.PipelineMetrics Metrics { get; init; }

    public required ILogger Log { get; init; }

    /// <summary>The rules in force on this node.</summary>
    public required TrafficActors.Rules.RuleSetStore Rules { get; init; }

    /// <summary>Stores a new rules document where every node watches for it.</summary>
    public required TrafficActors.Rules.RulesWriter RulesWriter { get; init; }

    /// <summary>Largest rules document accepted (traffic.live-rules.max-bytes).</summary>
    public required int RulesMaxBytes { get; init; }

    /// <summary>This node's rules watcher, told to look at once after a document is stored.</summary>
    public required IActorRef RulesActor { get; init; }
}
