using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;
using TrafficActors.Metrics;

namespace TrafficActors.Host.Management;

/// <summary>
/// Exposes selected System.Diagnostics.Metrics instruments in a prometheus-net registry with Prometheus naming:
/// observable counters become counters (<c>_total</c>), gauges stay gauges (tags become labels), histograms in
/// seconds get <c>_seconds</c> and the configured buckets. Written here rather than using prometheus-net's own
/// adapter because that one exports counters as gauges and prefixes every name with the meter name.
/// </summary>
public sealed class MeterBridge : IDisposable
{
    private const string CounterSuffix = "_total";
    private const string SecondsSuffix = "_seconds";

    private readonly MeterListener _listener = new();
    private readonly IMetricFactory _factory;
    private readonly double[] _buckets;
    private readonly ConcurrentDictionary<Instrument, object> _collectors = new();
    private volatile bool _disposed;

    public MeterBridge(CollectorRegistry registry, Func<Instrument, bool> include, IReadOnlyList<double> latencyBuckets)
    {
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _buckets = latencyBuckets.ToArray();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!include(instrument)) return;
            // Untagged histograms exist from the start, so a scrape shows them (at zero) before the first measurement.
            if (instrument is Histogram<double>) Collector(instrument, []);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        // Observable instruments report only when asked: ask right before every scrape.
        registry.AddBeforeCollectCallback(() =>
        {
            if (!_disposed) _listener.RecordObservableInstruments();
        });
    }

    /// <summary>The Prometheus name of an instrument (dots to underscores, plus the type and unit suffixes).</summary>
    public static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        if (instrument.Unit == MetricNames.Seconds && !name.EndsWith(SecondsSuffix, StringComparison.Ordinal)) name += SecondsSuffix;
        if (instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() is var t
            && (t == typeof(ObservableCounter<>) || t == typeof(Counter<>)))
            name += CounterSuffix;
        return name;
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Most measurements (every event's latency) carry no tags: skip the sorting and copying for them.
        string[] labels = [];
        object collector;
        if (tags.IsEmpty)
        {
            collector = _collectors.TryGetValue(instrument, out var known) ? known : Collector(instrument, []);
        }
        else
        {
            var sorted = tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
            labels = sorted.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToArray();
            collector = Collector(instrument, sorted.Select(t => t.Key).ToArray());
        }

        switch (collector)
        {
            case Counter c:
                if (labels.Length == 0) c.IncTo(value);
                else c.WithLabels(labels).IncTo(value);
                break;
            case Gauge g:
                if (labels.Length == 0) g.Set(value);
                else g.WithLabels(labels).Set(value);
                break;
            case Histogram h:
                h.Observe(value);
                break;
        }
    }

    private object Collector(Instrument instrument, string[] labelNames) =>
        _collectors.GetOrAdd(instrument, i =>
        {
            var name = PrometheusName(i);
            var help = i.Description ?? i.Name;
            return i switch
            {
                ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => _factory.CreateCounter(name, help, labelNames),
                Histogram<double> => _factory.CreateHistogram(name, help, new HistogramConfiguration { Buckets = _buckets }),
                _ => _factory.CreateGauge(name, help, labelNames),
            };
        });

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }
}
