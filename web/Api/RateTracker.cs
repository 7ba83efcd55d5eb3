using TrafficActors.Metrics;

namespace TrafficActors.Web.Api;

/// <summary>
/// Events/s over the last few seconds, computed from two counter snapshots so the figure reflects now rather than
/// the average since start.
/// </summary>
public sealed class RateTracker(PipelineMetrics metrics, TimeSpan horizon)
{
    private readonly Lock _gate = new();
    private MetricsSnapshot _previous = metrics.Snapshot();
    private double _rate;

    public double EventsPerSecond()
    {
        lock (_gate)
        {
            var now = metrics.Snapshot();
            if (now.At - _previous.At >= horizon)
            {
                _rate = now.ProcessedRateSince(_previous);
                _previous = now;
            }
            else if (_rate == 0 && now.At > _previous.At)
            {
                _rate = now.ProcessedRateSince(_previous);
            }

            return _rate;
        }
    }
}
