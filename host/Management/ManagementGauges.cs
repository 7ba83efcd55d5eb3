using Akka.Actor;
using Akka.Cluster.Sharding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrafficActors.Metrics;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Management;

/// <summary>
/// Refreshes the gauges that cost a round trip (consumer lag, car entities) on a timer rather than at scrape time,
/// so a slow Kafka never stalls a scrape.
/// </summary>
internal sealed class ManagementGauges(IServiceProvider services, TimeSpan interval, bool reportLag, bool reportCars) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!reportLag && !reportCars) return;
        using var timer = new PeriodicTimer(interval);
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
        try
        {
            var ctx = services.GetRequiredService<ManagementContext>();
            var gauges = services.GetRequiredService<NodeGauges>();
            if (reportLag)
                gauges.ReportLag(await ctx.LagReader.ReadAsync(ctx.RawTopic, ctx.Settings.AskTimeout, ct));
            if (reportCars)
            {
                var state = await ctx.Regions[ctx.CarRegionType].Ask<CurrentShardRegionState>(GetShardRegionState.Instance, ctx.Settings.AskTimeout, ct);
                gauges.ReportCarEntities(state.Shards.Sum(s => s.EntityIds.Count));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Also while the actor system is still starting and its regions are not registered yet.
            services.GetRequiredService<ILoggerFactory>().CreateLogger("TrafficActors.Management")
                .LogDebug("Management: gauge refresh failed: {Error}", ex.Message);
        }
    }
}
