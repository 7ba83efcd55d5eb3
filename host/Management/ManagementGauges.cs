using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrafficActors.Host.Node;
using TrafficActors.Metrics;
using TrafficActors.Web.Health;
using TrafficActors.Settings;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Management;

/// <summary>
/// Refreshes the gauges that cost a round trip (consumer lag, shards and entities of the hosted regions, readiness,
/// the journal's circuit breaker) on a timer rather than at scrape time, so a slow Kafka, actor or database never
/// stalls a scrape.
/// </summary>
internal sealed class ManagementGauges(IServiceProvider services, TrafficSettings settings, ManagementSettings management) : BackgroundService
{
    private readonly ILogger _log = services.GetRequiredService<ILoggerFactory>().CreateLogger("TrafficActors.Management");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(management.RefreshInterval);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        var gauges = services.GetRequiredService<NodeGauges>();
        // Also while the actor system is still starting and its regions are not registered yet: each figure is
        // refreshed on its own, so one that fails leaves the others current.
        await Guarded("cluster", ct, () =>
        {
            gauges.AttachCluster(Cluster.Get(services.GetRequiredService<ActorSystem>()));
            return Task.CompletedTask;
        });
        if (settings.Node.HasRole(Roles.Ingest)) await Guarded("consumer lag", ct, () => RefreshLagAsync(gauges, ct));
        await Guarded("shard regions", ct, () => RefreshRegionsAsync(gauges, ct));
        await Guarded("readiness", ct, () => RefreshReadinessAsync(gauges, ct));
        if (settings.Node.HasRole(Roles.Windows)) await Guarded("journal circuit breaker", ct, () => RefreshBreakerAsync(gauges, ct));
    }

    private async Task RefreshLagAsync(NodeGauges gauges, CancellationToken ct)
    {
        var ctx = services.GetRequiredService<ManagementContext>();
        gauges.ReportLag(await ctx.LagReader.ReadAsync(ctx.RawTopic, management.AskTimeout, ct));
    }

    private async Task RefreshRegionsAsync(NodeGauges gauges, CancellationToken ct)
    {
        var ctx = services.GetRequiredService<ManagementContext>();
        foreach (var region in ctx.HostedRegions)
        {
            var state = await ctx.Regions[region].Ask<CurrentShardRegionState>(GetShardRegionState.Instance, management.AskTimeout, ct);
            var entities = state.Shards.Sum(s => s.EntityIds.Count);
            gauges.ReportRegion(region, state.Shards.Count, entities);
            if (region == ctx.CarRegionType) gauges.ReportCarEntities(entities);
        }
    }

    private async Task RefreshReadinessAsync(NodeGauges gauges, CancellationToken ct)
    {
        if (services.GetService<HealthCheckService>() is not { } health) return;
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), ct);
        // As ASP.NET Core's health endpoints answer: degraded still serves, only unhealthy does not.
        gauges.ReportReadiness(
            report.Status != HealthStatus.Unhealthy,
            report.Entries.Select(e => KeyValuePair.Create(e.Key, e.Value.Status != HealthStatus.Unhealthy)).ToArray());
    }

    private async Task RefreshBreakerAsync(NodeGauges gauges, CancellationToken ct)
    {
        var system = services.GetRequiredService<ActorSystem>();
        var plugin = system.Settings.Config.GetString("akka.persistence.journal.plugin");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(management.AskTimeout);
        var result = await Akka.Persistence.Persistence.Instance.Apply(system).CheckJournalHealthAsync(plugin, timeout.Token);
        gauges.ReportJournalBreaker(BreakerState(result));
    }

    /// <summary>
    /// The breaker's state as the journal's health check reports it: healthy while closed, degraded while open or
    /// half-open, which only its description tells apart.
    /// </summary>
    internal static string BreakerState(PersistenceHealthCheckResult result) => result.Status switch
    {
        PersistenceHealthStatus.Healthy => NodeGauges.BreakerClosed,
        _ when result.Description?.Contains("half-open", StringComparison.OrdinalIgnoreCase) == true => NodeGauges.BreakerHalfOpen,
        _ => NodeGauges.BreakerOpen,
    };

    private async Task Guarded(string what, CancellationToken ct, Func<Task> refresh)
    {
        try
        {
            await refresh();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _log.LogDebug("Management: {What} gauge refresh failed: {Error}", what, ex.Message);
        }
    }
}
