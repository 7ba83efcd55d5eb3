using System.Diagnostics.Metrics;

namespace TrafficActors.Management;

/// <summary>
/// Write latency of durable state (window persistence). Static so storage code can record without plumbing;
/// every node's metrics endpoint exports it.
/// </summary>
public static class PersistenceMetrics
{
    /// <summary>The meter exporters select; process-wide because the recorder is static.</summary>
    public static Meter Meter { get; } = new(MetricNames.PersistenceMeter);

    private static readonly Histogram<double> WriteLatency =
        Meter.CreateHistogram<double>(MetricNames.PersistenceWriteLatency, MetricNames.Seconds, "Duration of one persistence write (batch)");

    /// <summary>Records how long one write (or batch) to the store took.</summary>
    public static void RecordWrite(TimeSpan duration) => WriteLatency.Record(Math.Max(0, duration.TotalSeconds));
}
