using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrafficActors.Settings;
using TrafficActors.Metrics;

namespace TrafficActors.Host.Node;

/// <summary>Logs the node's live figures at a fixed interval so an operator sees the pipeline breathe.</summary>
public sealed class StatsLogger(PipelineMetrics metrics, TrafficSettings settings, ILogger<StatsLogger> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var previous = metrics.Snapshot();
        using var timer = new PeriodicTimer(settings.Node.StatsInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = metrics.Snapshot();
                if (now.Consumed == previous.Consumed && now.Processed == previous.Processed) continue;
                log.LogInformation(
                    "Live: {Rate} events/s, processed {Processed}, alerts {Alerts}, dead-lettered {Dlq}, unknown cars {Unknown}",
                    now.ProcessedRateSince(previous).ToString("N1", CultureInfo.InvariantCulture), now.Processed, now.Alerts,
                    now.DeadLettered, now.UnknownCars);
                previous = now;
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }
}
