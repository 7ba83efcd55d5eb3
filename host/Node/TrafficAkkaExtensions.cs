using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Cluster.Sharding.External;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using TrafficActors.Cars;
using TrafficActors.Ingest;
using TrafficActors.Placement;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Settings;
using TrafficActors.Views;
using TrafficActors.Web.Api;
using TrafficActors.Web.Cars;
using TrafficActors.Web.Dashboard;
using TrafficActors.Windows;

namespace TrafficActors.Host.Node;

/// <summary>
/// The node's actor system, one piece per method, chained by <see cref="TrafficNode"/> in the order the pieces
/// depend on each other: actors registered by an earlier piece are looked up by a later one.
/// </summary>
public static class TrafficAkkaExtensions
{
    /// <summary>Type name of the window shard region.</summary>
    public const string WindowRegionName = "window";

    /// <summary>Akka's log events go through the host's logging.</summary>
    public static AkkaConfigurationBuilder WithTrafficLogging(this AkkaConfigurationBuilder akka) =>
        akka.ConfigureLoggers(l =>
        {
            l.ClearLoggers();
            l.AddLogger<AkkaLogBridge>();
        });

    /// <summary>Remoting and cluster membership with this node's roles; a node without seed nodes forms a cluster of its own.</summary>
    public static AkkaConfigurationBuilder WithTrafficCluster(this AkkaConfigurationBuilder akka, NodeSettings node) =>
        akka.WithRemoting(new RemoteOptions { HostName = node.Hostname, Port = node.Port })
            .WithClustering(new ClusterOptions { Roles = node.Roles.ToArray(), SeedNodes = node.SeedNodes.ToArray() })
            .WithDistributedPubSub(string.Empty)
            .WithActors((system, _) =>
            {
                var cluster = Cluster.Get(system);
                if (node.SeedNodes.Count == 0) cluster.Join(cluster.SelfAddress);
            });

    /// <summary>The persisted window buckets: hosted on nodes with the windows role, reached through a proxy elsewhere.</summary>
    /// <remarks>
    /// A windows node also runs the <see cref="WatermarkActor"/> that tells its buckets when to close, and hosts the
    /// window publishers that produce each closed window once to the windows topic.
    /// </remarks>
    public static AkkaConfigurationBuilder WithTrafficWindows(this AkkaConfigurationBuilder akka, NodeParts parts)
    {
        var windows = parts.Settings.Windows;
        var extractor = new WindowMessageExtractor(windows.Shards);
        if (!parts.Settings.Node.HasRole(Roles.Windows))
            return akka.WithShardRegionProxy<WindowAggregatorActor>(WindowRegionName, Roles.Windows, extractor);
        return akka
            .WithShardRegion<WindowAggregatorActor>(
                WindowRegionName,
                id => WindowAggregatorActor.Props(id, windows, parts.Metrics, parts.Clock),
                extractor,
                new ShardOptions { Role = Roles.Windows, StateStoreMode = StateStoreMode.DData })
            .WithShardRegion<WindowPublisherActor>(
                WindowPublisherActor.RegionName,
                id => WindowPublisherActor.Props(id, windows, parts.Outputs, WindowRegionName, parts.Settings.Outputs.Windows),
                new WindowPublisherMessageExtractor(windows.Shards),
                new ShardOptions { Role = Roles.Windows, StateStoreMode = StateStoreMode.DData })
            .WithActors((system, _) =>
                system.ActorOf(WatermarkActor.Props(windows, parts.Settings.Kafka.RawPartitions), "watermark"));
    }

    /// <summary>The per-car actors: hosted on nodes with the cars role, reached through a proxy elsewhere.</summary>
    public static AkkaConfigurationBuilder WithTrafficCars(this AkkaConfigurationBuilder akka, NodeParts parts)
    {
        var placement = parts.Settings.Cars.Placement;
        if (!parts.Settings.Node.HasRole(Roles.Cars))
            return akka.WithShardRegionProxy<CarActor>(TrafficNode.CarRegionName, Roles.Cars, new CarMessageExtractor(placement));
        return akka.WithActors((system, registry) => registry.Register<CarActor>(StartCarRegion(system, parts)));
    }

    /// <summary>The actor that loads reference data (folder or S3) into the node's store.</summary>
    public static AkkaConfigurationBuilder WithTrafficReferenceData(this AkkaConfigurationBuilder akka, NodeParts parts) =>
        akka.WithActors((system, registry) =>
        {
            var s = parts.Settings;
            registry.Register<ReferenceDataActor>(system.ActorOf(ReferenceDataActor.PropsFor(s.Reference, s.DataDir, parts.Reference), "reference-data"));
        });

    /// <summary>
    /// The live rules: every node watches the rules document itself (bucket or file) and swaps new versions into the
    /// store its car actors read; web-only nodes watch too, so their API and dashboard show the version in force.
    /// </summary>
    public static AkkaConfigurationBuilder WithTrafficRules(this AkkaConfigurationBuilder akka, NodeParts parts) =>
        akka.WithActors((system, registry) =>
        {
            var s = parts.Settings;
            registry.Register<RuleSetActor>(system.ActorOf(RuleSetActor.Props(parts.Rules, s.Rules, s.LiveRules, s.Reference.S3, s.DataDir), "rules"));
        });

    /// <summary>
    /// The read side: this node's rate for the dashboard, the windows and recent alerts view, and on web nodes the
    /// SignalR relay and the restore of persisted windows into the view (at start and after membership changes).
    /// </summary>
    public static AkkaConfigurationBuilder WithTrafficViews(
        this AkkaConfigurationBuilder akka, NodeParts parts, IServiceProvider services, DashboardSettings dashboard) =>
        akka.WithActors((system, registry) =>
        {
            var windows = parts.Settings.Windows;
            var source = services.GetRequiredService<PipelineMetricsSource>();
            system.ActorOf(NodeRatePublisher.Props(source, dashboard.HeartbeatInterval), "dashboard-rate");
            var view = system.ActorOf(DashboardViewActor.Props(windows, Math.Max(TrafficApi.MaxAlerts, windows.RecentAlerts)), "dashboard-view");
            registry.Register<DashboardViewActor>(view);
            // Every node maps the hub, so every node can serve a car panel; it polls only while one is open.
            var hub = services.GetRequiredService<IHubContext<TrafficHub>>();
            registry.Register<CarWatchActor>(system.ActorOf(
                CarWatchActor.Props(registry.Get<CarActor>(), services.GetRequiredService<CarQuery>(), hub, dashboard), "car-watch"));
            if (!parts.Settings.Node.HasRole(Roles.Web)) return;

            var relay = DashboardRelayActor.Props(
                view, registry.Get<CarActor>(), hub, dashboard, windows, source, parts.Rules);
            registry.Register<DashboardRelayActor>(system.ActorOf(relay, "dashboard-relay"));
            system.ActorOf(
                WindowRestoreTrigger.Props(registry.Get<WindowAggregatorActor>(), windows, parts.Journal, parts.Clock, Roles.Windows),
                "window-restorer");
        });

    /// <summary>
    /// The Kafka ingest stream on nodes with the ingest role, started once the node is Up so the first events find
    /// the shard regions ready, and drained before the node leaves.
    /// </summary>
    public static AkkaConfigurationBuilder WithTrafficIngest(this AkkaConfigurationBuilder akka, NodeParts parts)
    {
        var settings = parts.Settings;
        if (!settings.Node.HasRole(Roles.Ingest)) return akka;
        return akka.WithActors((system, registry) =>
        {
            // An oversized message is rejected by length; never copy more of it than the check needs.
            var consumer = settings.Kafka.ToConsumerSettings()
                .WithMaxValueBytes(settings.Validation.MaxMessageBytes + 1, DeadLetterHeaders.OriginalSize)
                .WithStatistics(parts.MetricsSettings.KafkaStatisticsInterval, parts.Metrics.Kafka.Consumer.Receive) with
            {
                StallDetected = _ => parts.Metrics.OnIngestStall(),
            };
            var placement = settings.Cars.Placement;
            if (placement.FollowsPartitions && settings.Node.HasRole(Roles.Cars))
            {
                var placer = system.ActorOf(CarShardPlacementActor.Props(TrafficNode.CarRegionName, placement.RetryInterval), "car-placement");
                var rawTopic = settings.Kafka.RawTopic;
                consumer = consumer with
                {
                    PartitionsAssigned = assigned => placer.Tell(new PartitionsAssigned(
                        assigned.Where(tp => tp.Topic == rawTopic).Select(tp => tp.Partition.Value).ToArray())),
                };
            }

            var ctx = new IngestStreamContext(
                settings, consumer, registry.Get<CarActor>(), registry.Get<WindowAggregatorActor>(), parts.Outputs, parts.Metrics, parts.Reference, parts.Rules, parts.Tracing);
            Cluster.Get(system).RegisterOnMemberUp(() =>
            {
                var ingest = system.ActorOf(IngestActor.Props(ctx), "ingest");
                registry.TryRegister<IngestActor>(ingest);
                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "drain-ingest", async () =>
                {
                    await ingest.Ask<IngestActor.Drained>(IngestActor.Drain.Instance, settings.Ingest.DrainTimeout + TimeSpan.FromSeconds(5));
                    return Akka.Done.Instance;
                });
            });
        });
    }

    /// <summary>
    /// Started here rather than through Akka.Hosting because the hosting options cannot take an allocation
    /// strategy, and with kafka-partitions placement the coordinator must use the external (partition-following) one.
    /// </summary>
    private static IActorRef StartCarRegion(ActorSystem system, NodeParts parts)
    {
        var settings = parts.Settings;
        var ctx = new CarActorContext(parts.Rules, parts.Reference, parts.Outputs, settings.Outputs, parts.Metrics, settings.Cars.Trace);
        var sharding = ClusterSharding.Get(system);
        var shardingSettings = CarSharding.Settings(system, settings.Cars.IdleTimeout).WithRole(Roles.Cars).WithStateStoreMode(StateStoreMode.DData);
        var placement = settings.Cars.Placement;
        IShardAllocationStrategy strategy = placement.FollowsPartitions
            ? new ExternalShardAllocationStrategy(system, TrafficNode.CarRegionName)
            : sharding.DefaultShardAllocationStrategy(shardingSettings);
        return sharding.Start(TrafficNode.CarRegionName, id => CarActor.Props(id, ctx), shardingSettings, new CarMessageExtractor(placement), strategy, PoisonPill.Instance);
    }
}
