using TrafficActors.Metrics;
using TrafficActors.Web.Api;

namespace TrafficActors.Web.Dashboard;

/// <summary>This node's counters as the relay reads them: processed events and the recent events/s.</summary>
public sealed class PipelineMetricsSource(PipelineMetrics metrics, RateTracker rate)
{
    public long Processed() => metrics.Processed;

    public double EventsPerSecond() => rate.EventsPerSecond();
}
