using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrafficActors.Cars;
using TrafficActors.Host.Node;
using TrafficActors.Host.Telemetry;
using TrafficActors.Kafka;
using TrafficActors.Metrics;
using TrafficActors.Rules;
using TrafficActors.Settings;
using TrafficActors.Views;
using TrafficActors.Web.Health;
using TrafficActors.Web.Management;
using TrafficActors.Windows;

namespace TrafficActors.Host.Management;

/// <summary>
/// The management endpoint as a second listener of the node's own host: health, readiness, Prometheus metrics and
/// the JSON the inspection verbs read, on its own port (it can bind elsewhere than the API, and serves on nodes
/// without the web role), started and stopped with the host.
/// </summary>
public static class NodeManagement
{
    // The shard region type names the node starts its regions with (see TrafficAkkaExtensions).
    public const string CarRegion = TrafficNode.CarRegionName;
    public const string WindowRegion = TrafficAkkaExtensions.WindowRegionName;

    /// <summary>Client id of the lag reader's consumer and admin client in broker logs.</summary>
    public const string LagReaderClientId = "traffic-lag-reader";

    /// <summary>
    /// The port to bind, decided before the host starts so its endpoints can be told apart by port: a configured 0
    /// becomes a free port now, and so does a taken one when <c>fallback-to-free-port</c> allows it.
    /// </summary>
    public static (ManagementSettings Settings, string? FellBack) ResolvePort(ManagementSettings management)
    {
        if (management.Port == 0) return (management with { Port = FreePort(management.Host) }, null);
        if (!management.FallbackToFreePort || CanBind(management.Host, management.Port)) return (management, null);
        return (management with { Port = FreePort(management.Host) }, $"management port {management.Port} is in use");
    }

    /// <summary>Reads the ingest group's lag for <c>/kafka/lag</c> and the lag gauges, with the node's Kafka client settings.</summary>
    public static ConsumerLagReader LagReader(KafkaSettings kafka) =>
        new(kafka.ToConsumerConfig(LagReaderClientId, kafka.ToConsumerSettings().GroupId), kafka.ToAdminConfig(LagReaderClientId));

    public static IServiceCollection AddTrafficManagement(
        this IServiceCollection services, TrafficSettings settings, ManagementSettings management, AdminToken token)
    {
        services.AddSingleton(new ManagementPort(management.Port));
        services.AddSingleton<MatcherPolicy, ListenerMatcherPolicy>();
        services.AddTrafficHealth(settings, management);
        services.AddSingleton(_ => LagReader(settings.Kafka));
        // Resolved at the first request, once the actor system runs and its regions are registered.
        services.AddSingleton(sp => Context(sp, settings, management, token));
        return services;
    }

    /// <summary>
    /// Maps the management routes and metrics on their listener. Call before the dashboard's static files, so a
    /// request on the management port that matches none of its routes ends as 404 rather than as the page.
    /// </summary>
    public static WebApplication UseTrafficManagement(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<ManagementPort>();
        app.Use((http, next) =>
        {
            if (http.GetEndpoint() is null && ListenerMatcherPolicy.IsManagement(http, port))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(http);
        });
        app.MapHealthEndpoints();
        app.MapManagementApi();
        app.MapTrafficMetrics();
        return app;
    }

    private static ManagementContext Context(IServiceProvider services, TrafficSettings settings, ManagementSettings management, AdminToken token)
    {
        var system = services.GetRequiredService<ActorSystem>();
        var registry = ActorRegistry.For(system);
        return new ManagementContext
        {
            System = system,
            Settings = management,
            AdminToken = token,
            Regions = new Dictionary<string, IActorRef>(StringComparer.Ordinal)
            {
                [CarRegion] = registry.Get<CarActor>(),
                [WindowRegion] = registry.Get<WindowAggregatorActor>(),
            },
            HostedRegions = new HashSet<string>(
                new[] { (CarRegion, Roles.Cars), (WindowRegion, Roles.Windows) }.Where(r => settings.Node.HasRole(r.Item2)).Select(r => r.Item1),
                StringComparer.Ordinal),
            CarRegionType = CarRegion,
            CarExtractor = new CarMessageExtractor(settings.Cars.Placement),
            DashboardView = registry.Get<DashboardViewActor>(),
            LagReader = services.GetRequiredService<ConsumerLagReader>(),
            RawTopic = settings.Kafka.RawTopic,
            Metrics = services.GetRequiredService<PipelineMetrics>(),
            Log = services.GetRequiredService<ILoggerFactory>().CreateLogger("TrafficActors.Management"),
            Rules = services.GetRequiredService<RuleSetStore>(),
            RulesWriter = new RulesWriter(settings.Rules, settings.LiveRules, settings.Reference.S3, settings.DataDir, services.GetRequiredService<RuleSetStore>()),
            RulesActor = registry.Get<RuleSetActor>(),
            RulesMaxBytes = settings.LiveRules.MaxBytes,
        };
    }

    private static IPAddress BindAddress(string host) =>
        IPAddress.TryParse(host, out var address) ? address : IPAddress.Any;

    private static bool CanBind(string host, int port)
    {
        try
        {
            using var listener = new TcpListener(BindAddress(host), port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort(string host)
    {
        var listener = new TcpListener(BindAddress(host), 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
