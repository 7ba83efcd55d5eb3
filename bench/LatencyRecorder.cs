using System.Diagnostics.Metrics;
using TrafficActors.Metrics;

namespace TrafficActors.Bench;

/// <summary>
/// Collects every raw value the node records into its end-to-end latency histogram (Kafka timestamp to the car
/// actor's reply, i.e. outputs durable and alert counted), while switched on. Exact percentiles instead of buckets.
/// </summary>
public sealed class LatencyRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private List<double> _seconds = [];
    private volatile bool _recording;

    public LatencyRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == MetricNames.ProcessingLatency) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            if (!_recording) return;
            lock (_gate) _seconds.Add(value);
        });
        _listener.Start();
    }

    public void Start()
    {
        lock (_gate) _seconds = [];
        _recording = true;
    }

    /// <summary>Stops recording and returns the values in milliseconds, sorted.</summary>
    public double[] Stop()
    {
        _recording = false;
        double[] ms;
        lock (_gate) ms = _seconds.Select(s => s * 1000).ToArray();
        Array.Sort(ms);
        return ms;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public void Dispose() => _listener.Dispose();
}
