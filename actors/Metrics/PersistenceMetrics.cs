using System.Diagnostics.Metrics;

namespace TrafficActors.Metrics;

/// <summary>
/// Journal writes of window batches: their latency and failures, as System.Diagnostics.Metrics instruments any
/// exporter can read.
/// </summary>
public static class PersistenceMetrics
{
    public const string MeterName = "TrafficActors.Persistence";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> WriteSeconds =
        Meter.CreateHistogram<double>(MetricNames.PersistenceWrite, MetricNames.Seconds, "Time to durably write one window batch");

    private static readonly Counter<long> WriteFailures =
        Meter.CreateCounter<long>(MetricNames.PersistenceWriteFailures, description: "Window batches the journal failed to write (the breaker failing fast included)");

    public static void RecordWrite(TimeSpan elapsed) => WriteSeconds.Record(elapsed.TotalSeconds);

    public static void RecordWriteFailure() => WriteFailures.Add(1);
}
