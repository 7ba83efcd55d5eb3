namespace TrafficActors.Metrics;

/// <summary>The node's counters at one instant; two snapshots give rates.</summary>
public sealed record MetricsSnapshot(
    DateTimeOffset At,
    long Consumed,
    long Processed,
    long Alerts,
    long DeadLettered,
    long UnknownCars,
    long EnrichedProduced,
    long AlertsProduced,
    long WindowDuplicates)
{
    /// <summary>Events processed per second between <paramref name="earlier"/> and this snapshot.</summary>
    public double ProcessedRateSince(MetricsSnapshot earlier)
    {
        var seconds = (At - earlier.At).TotalSeconds;
        return seconds <= 0 ? 0 : (Processed - earlier.Processed) / seconds;
    }
}
