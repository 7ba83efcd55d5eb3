using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrafficActors.Cars;
using TrafficActors.Views;
using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Settings;
using TrafficActors.Web.Management;
using TrafficActors.Windows;

namespace TrafficActors.Host.Management;

/// <summary>Wires a started node's actors and settings into its management endpoint and readiness checks.</summary>
public static class NodeManagement
{
    // The shard region type names the node starts its regions with (see TrafficAkkaExtensions).
    public const string CarRegion = TrafficNode.CarRegionName;
    public const string WindowRegion = TrafficAkkaExtensions.WindowRegionName;

    /// <summary>Readiness checks of a node, resolved lazily because the actor system starts with the host.</summary>
    public static NodeReadiness Readiness(IServiceProvider services, TrafficSettings settings, ManagementSettings management) =>
        new(services.GetRequiredService<ActorSystem>(), services.GetRequiredService<ReferenceDataStore>(), settings.Node.HasRole(Roles.Ingest), management.AskTimeout,
            settings.Node.HasRole(Roles.Windows) ? services.GetRequiredService<PipelineMetrics>().WindowJournal : null);

    public static Task<ManagementServer> StartAsync(
        WebApplication app, TrafficSettings settings, ManagementSettings management, AdminToken token, ILogger log, CancellationToken ct)
    {
        var system = app.Services.GetRequiredService<ActorSystem>();
        var registry = ActorRegistry.For(system);
        var ctx = new ManagementContext
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
            LagReader = new ConsumerLagReader(settings.Kafka.BootstrapServers, settings.Kafka.ToConsumerSettings().GroupId),
            RawTopic = settings.Kafka.RawTopic,
            Metrics = app.Services.GetRequiredService<PipelineMetrics>(),
            Log = log,
        };
        return ManagementServer.StartAsync(
            ctx, app.Services.GetRequiredService<NodeReadiness>(), app.Services.GetRequiredService<PipelineMetrics>(),
            reportLag: settings.Node.HasRole(Roles.Ingest), reportCars: settings.Node.HasRole(Roles.Cars), ct);
    }
}
