using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrafficActors.Cars;
using TrafficActors.Settings;
using TrafficActors.Generator;
using TrafficActors.Host.Management;
using TrafficActors.Host.Telemetry;
using TrafficActors.Kafka;
using TrafficActors.Metrics;
using TrafficActors.Outputs;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Web.Api;
using TrafficActors.Web.Cars;
using TrafficActors.Web.Dashboard;
using TrafficActors.Web.Management;
using TrafficActors.Web.OpenApi;
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
    private readonly ManagementSettings _management;
    private int _stopped;

    private TrafficNode(
        WebApplication app, TrafficSettings settings, ManagementSettings management, EmbeddedKafkaCluster? embedded, IProducer<byte[]?, byte[]?> producer)
    {
        App = app;
        Settings = settings;
        _management = management;
        _embedded = embedded;
        _producer = producer;
        _log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TrafficActors.Node");
    }

    public WebApplication App { get; }

    public TrafficSettings Settings { get; }

    /// <summary>Bootstrap servers the node uses (the embedded broker's when it started one).</summary>
    public string KafkaBootstrap => Settings.Kafka.BootstrapServers;

    /// <summary>First URL the HTTP API listens on, with the real port when 0 was asked for.</summary>
    public string BaseUrl => App.Urls.First(u => !u.TrimEnd('/').EndsWith(":" + _management.Port, StringComparison.Ordinal)).TrimEnd('/');

    /// <summary>Base URL of the management endpoint (health, metrics, inspection), with the real port.</summary>
    public string ManagementUrl => _management.ListenUrl;

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
        var metrics = new PipelineMetrics();
        var metricsSettings = MetricsSettings.FromConfig(config);
        producerSettings = producerSettings.WithStatistics(metricsSettings.KafkaStatisticsInterval, metrics.Kafka.Producer.Receive);
        IProducer<byte[]?, byte[]?>? producer = null;
        try
        {
            producer = KafkaProducer.CreateProducer(producerSettings);
            // The ingest stream builds its consumer only once the node is up, where a configuration librdkafka
            // refuses would restart the stream over and over: refuse to start instead.
            if (settings.Node.HasRole(Roles.Ingest))
                KafkaClients.Consumer(settings.Kafka.ToConsumerSettings().ToConsumerConfig()).Dispose();
        }
        catch
        {
            producer?.Dispose();
            embedded?.Dispose();
            throw;
        }

        var (management, fellBack) = NodeManagement.ResolvePort(ManagementSettings.FromConfig(config));
        WebApplication? app = null;
        TrafficNode? node = null;
        try
        {
            app = Build(
                config, settings, management, metricsSettings, metrics, options.AdminToken ?? AdminToken.FromEnvironment(), embedded is not null, producer,
                options.Clock ?? TimeProvider.System);
            node = new TrafficNode(app, settings, management, embedded, producer);
            node._log.LogInformation("Kafka bootstrap: {Bootstrap}{Embedded}", settings.Kafka.BootstrapServers, embedded is null ? "" : " (embedded)");
            if (settings.Kafka.Common.Count > 0) node._log.LogInformation("Kafka client properties: {Properties}", settings.Kafka.Common);
            if (fellBack is not null) node._log.LogWarning("{Reason}; binding a free port instead", fellBack);
            await app.StartAsync(ct);
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

    private static WebApplication Build(
        Akka.Configuration.Config config, TrafficSettings settings, ManagementSettings management, MetricsSettings metricsSettings, PipelineMetrics metrics,
        AdminToken token, bool embedded, IProducer<byte[]?, byte[]?> producer, TimeProvider clock)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // The HTTP API and the management endpoint: two listeners of one host, told apart by port.
        builder.WebHost.UseUrls(settings.WebUrls + ";" + management.ListenUrl);
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

        var parts = new NodeParts(
            settings, metrics, new ReferenceDataStore(), new RuleSetStore(RuleSet.FromDefaults(settings.Rules), RuleSetActor.DefaultSource),
            new KafkaOutputs(producer, settings.Kafka, settings.Kafka.DlqMaxPayloadBytes),
            new JournalDatabase(settings.Persistence, settings.DataDir),
            clock,
            metricsSettings,
            TracingSettings.FromConfig(config));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(parts.Reference);
        builder.Services.AddSingleton(parts.Rules);
        builder.Services.AddSingleton(parts.Journal);
        builder.Services.AddSingleton(parts.Outputs);
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
            builder.Services.AddSingleton(parts.Tracing);
            builder.Services.AddSingleton(producer);
            builder.Services.AddHostedService<GeneratorService>();
        }

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));

        builder.Services.AddTrafficDashboard();
        // Resolved once the actor system runs and the car region (or its proxy) is registered.
        builder.Services.AddSingleton(sp => new CarQuery(
            sp.GetRequiredService<IRequiredActor<CarActor>>().ActorRef, new CarMessageExtractor(settings.Cars.Placement), parts.Reference, management.AskTimeout));
        builder.Services.AddSingleton<PipelineMetricsSource>();
        var dashboard = DashboardSettings.FromConfig(config.GetConfig("traffic.dashboard"));
        builder.Services.AddAkka(SystemName, (akka, sp) => akka
            .AddHocon(config, HoconAddMode.Prepend)
            .WithTrafficLogging()
            .WithTrafficLiveness()
            .WithTrafficCluster(settings.Node)
            .WithTrafficWindows(parts)
            .WithTrafficCars(parts)
            .WithTrafficReferenceData(parts)
            .WithTrafficRules(parts)
            .WithTrafficViews(parts, sp, dashboard)
            .WithTrafficIngest(parts));

        builder.Services.AddTrafficManagement(settings, management, token);
        builder.Services.AddTrafficOpenApi();
        builder.Services.AddTrafficBadRequests();
        var otlp = OtlpSettings.FromConfig(config);
        builder.Services.AddTrafficMetrics(settings, management, metricsSettings, otlp, metrics);
        builder.Services.AddTrafficTracing(parts.Tracing, otlp);

        var app = builder.Build();
        app.UseTrafficBadRequests();
        app.UseTrafficManagement();
        app.MapTrafficApi();
        app.MapTrafficOpenApi();
        app.MapTrafficDashboard();
        return app;
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
