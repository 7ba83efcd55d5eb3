using System.Diagnostics.Metrics;
using TrafficActors.Kafka;
using TrafficActors.Rules;

namespace TrafficActors.Metrics;

/// <summary>
/// Node-wide counters updated on the hot path with interlocked increments (cheaper than messages); read by the
/// stats logger and the HTTP API.
/// </summary>
public sealed class PipelineMetrics
{
    private long _consumed;
    private long _processed;
    private long _alerts;
    private long _dlq;
    private long _unknownCars;
    private long _enrichedProduced;
    private long _alertsProduced;
    private long _windowDuplicates;
    private long _lateAlerts;
    private long _carSamples;
    private long _carSamplesRemote;
    private long _windowRetries;
    private long _ingestStalls;
    private readonly long[] _ruleViolations = new long[RuleNames.All.Count];
    private volatile IConsumerControl? _ingest;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Reachability of the window journal as this node's buckets last saw it.</summary>
    public JournalHealth WindowJournal { get; } = new();

    private readonly Histogram<double> _latency;

    public PipelineMetrics()
    {
        // Counters are observed from the interlocked fields at scrape time: no extra cost on the hot path.
        Meter.CreateObservableCounter(MetricNames.EventsConsumed, () => Consumed, description: "Messages read from the raw topic");
        Meter.CreateObservableCounter(MetricNames.EventsProcessed, () => Processed, description: "Valid events fully processed by their car actor");
        Meter.CreateObservableCounter(MetricNames.Alerts, () => Alerts, description: "Events that broke at least one rule");
        Meter.CreateObservableCounter(MetricNames.RuleViolations, ObserveRuleViolations, description: "Rule violations by rule (an event that broke two rules counts once for each)");
        Meter.CreateObservableCounter(MetricNames.DeadLettered, () => DeadLettered, description: "Rejected messages written to the dead-letter topic");
        Meter.CreateObservableCounter(MetricNames.UnknownCars, () => UnknownCars, description: "Events of cars missing from the reference data");
        Meter.CreateObservableCounter(MetricNames.LateAlerts, () => LateAlerts, description: "Alerts that arrived after their window closed (counted as late only)");
        Meter.CreateObservableCounter(MetricNames.WindowDuplicates, () => WindowDuplicates, description: "Redelivered alerts recognised by their window and not counted again");
        Meter.CreateObservableCounter(MetricNames.CarSamples, () => CarSamples, description: "Samples handled by this node's car actors");
        Meter.CreateObservableCounter(MetricNames.CarSamplesRemote, () => CarSamplesRemote, description: "Samples this node's car actors received from another node (crossed the network)");
        Meter.CreateObservableCounter(MetricNames.WindowRetries, () => WindowRetries, description: "Alert batches the ingest stream sent to a window bucket again because no answer came in time (a bucket moved or its node died)");
        Meter.CreateObservableCounter(MetricNames.ConsumerStalls, () => IngestStalls, description: "Times the ingest consumer's watchdog found assigned partitions silent while the broker held more (healed, or the stream restarted)");
        Meter.CreateObservableGauge(MetricNames.ConsumerPaused, () => Ingest is { Paused: true } ? 1 : 0, description: "1 while the ingest consumer pauses fetching because its buffer is full");
        Meter.CreateObservableGauge(MetricNames.ConsumerBuffered, () => Ingest?.Buffered ?? 0, description: "Messages fetched by the ingest consumer and not yet handed to the stream");
        Meter.CreateObservableGauge(MetricNames.ConsumerStalledPartitions, () => Ingest?.Stalled.Count ?? 0, description: "Partitions the ingest consumer's watchdog currently finds stalled");
        Meter.CreateObservableGauge(MetricNames.WindowJournalOutage, () => WindowJournal.InOutage ? 1 : 0, description: "1 while this node's window buckets cannot write to or recover from their journal");
        Meter.CreateObservableCounter(MetricNames.WindowJournalFailures, () => WindowJournal.Failures, description: "Window journal writes and recoveries that failed (the alerts involved are not acknowledged and come again)");
        _latency = Meter.CreateHistogram<double>(MetricNames.ProcessingLatency, MetricNames.Seconds, "From the Kafka message timestamp to the event's outputs acknowledged and its alert durably counted");
        Kafka = new KafkaClientMetrics(Meter);
    }

    /// <summary>
    /// This node's instruments. One meter per node, so exporters can pick it by reference and several nodes in one
    /// process (tests) do not mix their figures.
    /// </summary>
    public Meter Meter { get; } = new(MetricNames.PipelineMeter);

    /// <summary>librdkafka's statistics of this node's ingest consumer and producer.</summary>
    public KafkaClientMetrics Kafka { get; }

    public long Consumed => Interlocked.Read(ref _consumed);

    public long Processed => Interlocked.Read(ref _processed);

    public long Alerts => Interlocked.Read(ref _alerts);

    public long DeadLettered => Interlocked.Read(ref _dlq);

    public long UnknownCars => Interlocked.Read(ref _unknownCars);

    public long EnrichedProduced => Interlocked.Read(ref _enrichedProduced);

    public long AlertsProduced => Interlocked.Read(ref _alertsProduced);

    public long WindowDuplicates => Interlocked.Read(ref _windowDuplicates);

    public void OnConsumed() => Interlocked.Increment(ref _consumed);

    public void OnProcessed() => Interlocked.Increment(ref _processed);

    /// <summary>End-to-end latency of one processed event; negative spans (producer clock ahead) count as zero.</summary>
    public void OnProcessingLatency(TimeSpan latency) => _latency.Record(Math.Max(0, latency.TotalSeconds));

    public void OnAlert() => Interlocked.Increment(ref _alerts);

    /// <summary>The rules one alert broke (an alert breaks few, so a linear look-up of each is cheapest).</summary>
    public void OnRuleViolations(IReadOnlyList<string> rules)
    {
        var all = RuleNames.All;
        for (var i = 0; i < rules.Count; i++)
        {
            for (var r = 0; r < all.Count; r++)
            {
                // Rule names come from RuleNames' constants, so the reference check nearly always decides.
                if (!ReferenceEquals(rules[i], all[r]) && !string.Equals(rules[i], all[r], StringComparison.Ordinal)) continue;
                Interlocked.Increment(ref _ruleViolations[r]);
                break;
            }
        }
    }

    /// <summary>Violations of one rule of <see cref="RuleNames.All"/> since the node started.</summary>
    public long RuleViolations(string rule)
    {
        for (var r = 0; r < RuleNames.All.Count; r++)
        {
            if (RuleNames.All[r] == rule) return Interlocked.Read(ref _ruleViolations[r]);
        }

        return 0;
    }

    public void OnDeadLettered() => Interlocked.Increment(ref _dlq);

    public void OnUnknownCar() => Interlocked.Increment(ref _unknownCars);

    public void OnEnrichedProduced() => Interlocked.Increment(ref _enrichedProduced);

    public void OnAlertProduced() => Interlocked.Increment(ref _alertsProduced);

    public void OnWindowDuplicate() => Interlocked.Increment(ref _windowDuplicates);

    public long WindowRetries => Interlocked.Read(ref _windowRetries);

    public void OnWindowRetry() => Interlocked.Increment(ref _windowRetries);

    public long LateAlerts => Interlocked.Read(ref _lateAlerts);

    public void OnLateAlert() => Interlocked.Increment(ref _lateAlerts);

    public long CarSamples => Interlocked.Read(ref _carSamples);

    public long CarSamplesRemote => Interlocked.Read(ref _carSamplesRemote);

    /// <summary>A car actor handled a sample; <paramref name="remote"/> when it came from another node's ingest.</summary>
    public void OnCarSample(bool remote)
    {
        Interlocked.Increment(ref _carSamples);
        if (remote) Interlocked.Increment(ref _carSamplesRemote);
    }

    public long IngestStalls => Interlocked.Read(ref _ingestStalls);

    public void OnIngestStall() => Interlocked.Increment(ref _ingestStalls);

    /// <summary>The ingest consumer's current state; null before the ingest stream first started on this node.</summary>
    public ConsumerMetrics? Ingest => _ingest?.Metrics;

    /// <summary>The ingest stream's current consumer (tests reach its polling thread through it).</summary>
    internal IConsumerControl? IngestControl => _ingest;

    /// <summary>The ingest stream (re)started with a new consumer.</summary>
    public void AttachIngest(IConsumerControl control) => _ingest = control;

    // Every rule, violated or not yet, so each series exists from the first scrape.
    private IEnumerable<Measurement<long>> ObserveRuleViolations() =>
        RuleNames.All.Select((rule, i) => new Measurement<long>(
            Interlocked.Read(ref _ruleViolations[i]), new KeyValuePair<string, object?>(MetricNames.RuleTag, rule)));

    public MetricsSnapshot Snapshot() => new(
        DateTimeOffset.UtcNow, Consumed, Processed, Alerts, DeadLettered, UnknownCars, EnrichedProduced, AlertsProduced, WindowDuplicates);
}
