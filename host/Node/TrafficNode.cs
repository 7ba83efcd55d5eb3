using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Cluster.Sharding.External;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrafficActors.Cars;
using TrafficActors.Settings;
using TrafficActors.Views;
using TrafficActors.Generator;
using TrafficActors.Host.Management;
using TrafficActors.Ingest;
using TrafficActors.Kafka;
using TrafficActors.Metrics;
using TrafficActors.Outputs;
using TrafficActors.Placement;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Web.Api;
using TrafficActors.Web.Dashboard;
using TrafficActors.Web.Management;
using TrafficActors.Persistence;
using TrafficActors.Windows;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Host.Node;

/// <summary>
/// One TrafficActors node: (optionally) the embedded broker, the Akka cluster member with the roles it was given,
/// and the HTTP API. Used by the <c>run</c> and <c>node</c> verbs and by the integration tests.
/// </summary>
public sealed class TrafficNode : IAsyncDisposable
{
    public const string SystemName = "traffic";

    /// <summary>Type name of the car shard region (also the key of its external shard allocation).</summary>
    public const string CarRegionName = "car";

    private readonly EmbeddedKafkaCluster? _embedded;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly ILogger _log;
    private int _stopped;
    private ManagementServer? _management;

    private TrafficNode(WebApplication app, TrafficSettings settings, EmbeddedKafkaCluster? embedded, IProducer<byte[]?, byte[]?> producer)
    {
        App = app;
        Settings = settings;
        _embedded = embedded;
        _producer = producer;
        _log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TrafficActors.Node");
    }

    public WebApplication App { get; }

    public TrafficSettings Settings { get; }

    /// <summary>Bootstrap servers the node uses (the embedded broker's when it started one).</summary>
    public string KafkaBootstrap => Settings.Kafka.BootstrapServers;

    /// <summary>First URL the HTTP API listens on, with the real port when 0 was asked for.</summary>
    public string BaseUrl => App.Urls.First().TrimEnd('/');

    /// <summary>Base URL of the management endpoint (health, metrics, inspection), with the real port.</summary>
    public string ManagementUrl => _management?.Url ?? throw new InvalidOperationException("management endpoint not started");

    public ActorSystem ActorSystem => App.Services.GetRequiredService<ActorSystem>();

    public PipelineMetrics Metrics => App.Services.GetRequiredService<PipelineMetrics>();

    public static async Task<TrafficNode> StartAsync(NodeOptions options, CancellationToken ct = default)
    {
        var config = TrafficConfig.Load(options.Profile, overrides: options.ToHocon());
        var settings = TrafficSettings.FromConfig(config);
        Directory.CreateDirectory(settings.DataDir);
        PersistenceHocon.PrepareSqlite(settings.Persistence, settings.DataDir);
        config = Akka.Configuration.ConfigurationFactory.ParseString(PersistenceHocon.Build(settings.Persistence, settings.DataDir)).WithFallback(config);

        EmbeddedKafkaCluster? embedded = null;
        if (settings.Kafka.UseEmbedded)
        {
            embedded = settings.Kafka.StartEmbedded();
            settings = settings with { Kafka = settings.Kafka.WithBootstrap(embedded.BootstrapServers) };
        }

        // The node's writes only look at a delivery report's status; by default the client also copies every record's
        // key and value back into new managed arrays for the report, two allocations per record on the hot path.
        var producerSettings = settings.Kafka.ToProducerSettings().WithProperty("dotnet.producer.delivery.report.fields", "status");
        var producer = KafkaProducer.CreateProducer(producerSettings);
        WebApplication? app = null;
        TrafficNode? node = null;
        try
        {
            app = Build(config, settings, embedded is not null, producer, options.Clock ?? TimeProvider.System);
            node = new TrafficNode(app, settings, embedded, producer);
            node._log.LogInformation("Kafka bootstrap: {Bootstrap}{Embedded}", settings.Kafka.BootstrapServers, embedded is null ? "" : " (embedded)");
            await app.StartAsync(ct);
            // Before waiting for Up, so /ready can report why the node is not ready yet.
            var management = ManagementSettings.FromConfig(config);
            node._management = await NodeManagement.StartAsync(app, settings, management, options.AdminToken ?? AdminToken.FromEnvironment(), node._log, ct);
            node._log.LogInformation("Management endpoint on {Url}", node.ManagementUrl);
            await node.WaitUntilUpAsync(TimeSpan.FromSeconds(30), ct);
            if (settings.Node.HasRole(Roles.Windows))
            {
                await node.VerifyJournalAsync(config, ct);
                node.WarmJournal(config);
            }

            node._log.LogInformation("Node up: roles [{Roles}], HTTP API on {Url}", string.Join(", ", settings.Node.Roles), node.BaseUrl);
            return node;
        }
        catch
        {
            // A half-started node (e.g. the HTTP port was taken after the actor system came up) must not linger.
            if (node?._management is { } started) await started.DisposeAsync().ConfigureAwait(false);
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }

            producer.Dispose();
            embedded?.Dispose();
            throw;
        }
    }

    private static WebApplication Build(Akka.Configuration.Config config, TrafficSettings settings, bool embedded, IProducer<byte[]?, byte[]?> producer, TimeProvider clock)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(settings.WebUrls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // Akka's own cluster/sharding chatter only from warnings up; our actors log at information.
        builder.Logging.AddFilter("Akka", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Ingest.DrainTimeout + TimeSpan.FromSeconds(30));

        var metrics = new PipelineMetrics();
        var reference = new ReferenceDataStore();
        var outputs = new KafkaOutputs(producer, settings.Kafka, settings.Kafka.DlqMaxPayloadBytes);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(reference);
        var journal = new JournalDatabase(settings.Persistence, settings.DataDir);
        builder.Services.AddSingleton(journal);
        builder.Services.AddSingleton(outputs);
        builder.Services.AddSingleton(new RateTracker(metrics, TimeSpan.FromSeconds(2)));
        builder.Services.AddSingleton(new NodeInfo
        {
            KafkaBootstrap = settings.Kafka.BootstrapServers,
            EmbeddedKafka = embedded,
            Roles = settings.Node.Roles,
            Topics = new TopicNames(settings.Kafka.RawTopic, settings.Kafka.EnrichedTopic, settings.Kafka.AlertsTopic, settings.Kafka.DlqTopic),
        });
        builder.Services.AddHostedService<StatsLogger>();
        if (config.GetBoolean("traffic.generator.enabled"))
        {
            var generator = GeneratorSettings.FromConfig(config.GetConfig("traffic.generator")) with { Topic = settings.Kafka.RawTopic };
            if (settings.Reference.Cars > 0) generator = generator with { Cars = settings.Reference.Cars };
            builder.Services.AddSingleton(generator);
            builder.Services.AddSingleton(producer);
            builder.Services.AddHostedService<GeneratorService>();
        }

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));

        builder.Services.AddTrafficDashboard();
        builder.Services.AddSingleton<PipelineMetricsSource>();
        var dashboard = DashboardSettings.FromConfig(config.GetConfig("traffic.dashboard"));
        builder.Services.AddAkka(SystemName, (akka, sp) => ConfigureAkka(akka, config, settings, metrics, reference, outputs, journal, sp, dashboard, clock));

        var management = ManagementSettings.FromConfig(config);
        builder.Services.AddSingleton(sp => NodeManagement.Readiness(sp, settings, management));

        var app = builder.Build();
        app.MapTrafficApi();
        app.MapTrafficDashboard();
        app.MapHealthEndpoints();
        return app;
    }

    private static void ConfigureAkka(
        AkkaConfigurationBuilder akka, Akka.Configuration.Config config, TrafficSettings settings,
        PipelineMetrics metrics, ReferenceDataStore reference, KafkaOutputs outputs, JournalDatabase journal, IServiceProvider services,
        DashboardSettings dashboard, TimeProvider clock)
    {
        var node = settings.Node;
        akka.AddHocon(config, HoconAddMode.Prepend)
            .ConfigureLoggers(l =>
            {
                l.ClearLoggers();
                l.AddLogger<AkkaLogBridge>();
            })
            .WithRemoting(new RemoteOptions { HostName = node.Hostname, Port = node.Port })
            .WithClustering(new ClusterOptions { Roles = node.Roles.ToArray(), SeedNodes = node.SeedNodes.ToArray() })
            .WithDistributedPubSub(string.Empty);

        var windows = settings.Windows;
        if (node.HasRole(Roles.Windows))
        {
            akka.WithShardRegion<WindowAggregatorActor>(
                "window",
                id => WindowAggregatorActor.Props(id, windows, metrics, clock),
                new WindowMessageExtractor(windows.Shards),
                new ShardOptions { Role = Roles.Windows, StateStoreMode = StateStoreMode.DData });
        }
        else
        {
            akka.WithShardRegionProxy<WindowAggregatorActor>("window", Roles.Windows, new WindowMessageExtractor(windows.Shards));
        }

        var placement = settings.Cars.Placement;
        if (!node.HasRole(Roles.Cars))
        {
            akka.WithShardRegionProxy<CarActor>("car", Roles.Cars, new CarMessageExtractor(placement));
        }

        akka.WithActors((system, registry) =>
        {
            var cluster = Cluster.Get(system);
            if (node.SeedNodes.Count == 0) cluster.Join(cluster.SelfAddress);
            if (node.HasRole(Roles.Cars)) registry.Register<CarActor>(StartCarRegion(system, registry, settings, metrics, reference, outputs));

            registry.Register<ReferenceDataActor>(system.ActorOf(ReferenceDataActor.PropsFor(settings.Reference, settings.DataDir, reference), "reference-data"));
            system.ActorOf(NodeRatePublisher.Props(services.GetRequiredService<PipelineMetricsSource>(), dashboard.HeartbeatInterval), "dashboard-rate");
            var view = system.ActorOf(DashboardViewActor.Props(windows, Math.Max(TrafficApi.MaxAlerts, windows.RecentAlerts)), "dashboard-view");
            registry.Register<DashboardViewActor>(view);
            if (node.HasRole(Roles.Web))
            {
                var relay = DashboardRelayActor.Props(
                    view, registry.Get<CarActor>(), services.GetRequiredService<IHubContext<TrafficHub>>(), dashboard, windows, services.GetRequiredService<PipelineMetricsSource>());
                registry.Register<DashboardRelayActor>(system.ActorOf(relay, "dashboard-relay"));
                // Bring persisted windows back into the read model after a restart.
                cluster.RegisterOnMemberUp(() => system.ActorOf(WindowRestorer.Props(registry.Get<WindowAggregatorActor>(), windows, journal, clock), "window-restorer"));
            }

            if (node.HasRole(Roles.Ingest))
            {
                // An oversized message is rejected by length; never copy more of it than the check needs.
                var consumer = settings.Kafka.ToConsumerSettings()
                    .WithMaxValueBytes(settings.Validation.MaxMessageBytes + 1, DeadLetterHeaders.OriginalSize) with
                {
                    StallDetected = _ => metrics.OnIngestStall(),
                };
                if (placement.FollowsPartitions && node.HasRole(Roles.Cars))
                {
                    var placer = system.ActorOf(CarShardPlacementActor.Props(CarRegionName, placement.RetryInterval), "car-placement");
                    var rawTopic = settings.Kafka.RawTopic;
                    consumer = consumer with
                    {
                        PartitionsAssigned = assigned => placer.Tell(new PartitionsAssigned(
                            assigned.Where(tp => tp.Topic == rawTopic).Select(tp => tp.Partition.Value).ToArray())),
                    };
                }

                var ctx = new IngestStreamContext(settings, consumer, registry.Get<CarActor>(), registry.Get<WindowAggregatorActor>(), outputs, metrics, reference);
                // Start consuming only once this node is Up, so the first events find the shard regions ready.
                cluster.RegisterOnMemberUp(() =>
                {
                    var ingest = system.ActorOf(IngestActor.Props(ctx), "ingest");
                    registry.TryRegister<IngestActor>(ingest);
                    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "drain-ingest", async () =>
                    {
                        await ingest.Ask<IngestActor.Drained>(IngestActor.Drain.Instance, settings.Ingest.DrainTimeout + TimeSpan.FromSeconds(5));
                        return Akka.Done.Instance;
                    });
                });
            }
        });
    }

    /// <summary>
    /// Started here rather than through Akka.Hosting because the hosting options cannot take an allocation
    /// strategy, and with kafka-partitions placement the coordinator must use the external (partition-following) one.
    /// </summary>
    private static IActorRef StartCarRegion(
        ActorSystem system, IActorRegistry registry, TrafficSettings settings, PipelineMetrics metrics, ReferenceDataStore reference, KafkaOutputs outputs)
    {
        var ctx = new CarActorContext(
            new RuleEngine(settings.Rules), reference, outputs, settings.Outputs, metrics);
        var sharding = ClusterSharding.Get(system);
        var shardingSettings = CarSharding.Settings(system, settings.Cars.IdleTimeout).WithRole(Roles.Cars).WithStateStoreMode(StateStoreMode.DData);
        var placement = settings.Cars.Placement;
        IShardAllocationStrategy strategy = placement.FollowsPartitions
            ? new ExternalShardAllocationStrategy(system, CarRegionName)
            : sharding.DefaultShardAllocationStrategy(shardingSettings);
        return sharding.Start(CarRegionName, id => CarActor.Props(id, ctx), shardingSettings, new CarMessageExtractor(placement), strategy, PoisonPill.Instance);
    }

    /// <summary>
    /// Refuses to run the windows role on a journal the cluster does not share: two journals would each hold part of
    /// the window buckets, and neither restore nor the dashboard could ever add them up again.
    /// </summary>
    private async Task VerifyJournalAsync(Akka.Configuration.Config config, CancellationToken ct)
    {
        var timeout = config.GetTimeSpan("traffic.persistence.identity-timeout");
        try
        {
            var identity = await JournalIdentityCheck.VerifyAsync(ActorSystem, App.Services.GetRequiredService<JournalDatabase>(), timeout, ct);
            _log.LogInformation("Window journal {Identity} is the cluster's", identity);
        }
        catch (JournalMismatchException ex)
        {
            _log.LogError("Refusing to start: {Reason}", ex.Message);
            throw;
        }
    }

    /// <summary>
    /// In the background, so a node starts no later for it; the first window buckets may find a query still being
    /// compiled, which costs them what it cost before.
    /// </summary>
    private void WarmJournal(Akka.Configuration.Config config)
    {
        if (!config.GetBoolean("traffic.persistence.warm-up")) return;
        var timeout = config.GetTimeSpan("traffic.persistence.warm-up-timeout");
        var self = Cluster.Get(ActorSystem).SelfAddress;
        var started = Stopwatch.GetTimestamp();
        _ = JournalWarmup.RunAsync(ActorSystem, $"{self.Host}-{self.Port}", timeout).ContinueWith(
            t =>
            {
                if (t.IsFaulted) _log.LogWarning("Window journal warm-up failed: {Reason}", t.Exception!.GetBaseException().Message);
                else _log.LogInformation("Window journal warmed up in {Ms:0} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            },
            TaskScheduler.Default);
    }

    private async Task WaitUntilUpAsync(TimeSpan timeout, CancellationToken ct)
    {
        var cluster = Cluster.Get(ActorSystem);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(timeout, ct);
    }

    /// <summary>Graceful stop: drain ingest, leave the cluster, flush the producer, stop the embedded broker.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _log.LogInformation("Node stopping");
        await App.StopAsync();
        if (_management is not null) await _management.DisposeAsync();
        _producer.Flush(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
        _producer.Dispose();
        _embedded?.Dispose();
    }
}
