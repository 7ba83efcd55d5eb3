using System.Diagnostics.Metrics;

namespace TrafficActors.Metrics;

/// <summary>Journal write latency of window batches, as a System.Diagnostics.Metrics histogram any exporter can read.</summary>
public static class PersistenceMetrics
{
    public const string MeterName = "TrafficActors.Persistence";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> WriteSeconds =
        Meter.CreateHistogram<double>("traffic_persistence_write_seconds", "s", "Time to durably write one window batch");

    public static void RecordWrite(TimeSpan elapsed) => WriteSeconds.Record(elapsed.TotalSeconds);
}
