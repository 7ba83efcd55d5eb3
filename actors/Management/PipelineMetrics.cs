namespace TrafficActors.Management;

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

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

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

    public void OnAlert() => Interlocked.Increment(ref _alerts);

    public void OnDeadLettered() => Interlocked.Increment(ref _dlq);

    public void OnUnknownCar() => Interlocked.Increment(ref _unknownCars);

    public void OnEnrichedProduced() => Interlocked.Increment(ref _enrichedProduced);

    public void OnAlertProduced() => Interlocked.Increment(ref _alertsProduced);

    public void OnWindowDuplicate() => Interlocked.Increment(ref _windowDuplicates);

    public long LateAlerts => Interlocked.Read(ref _lateAlerts);

    public void OnLateAlert() => Interlocked.Increment(ref _lateAlerts);

    public MetricsSnapshot Snapshot() => new(
        DateTimeOffset.UtcNow, Consumed, Processed, Alerts, DeadLettered, UnknownCars, EnrichedProduced, AlertsProduced, WindowDuplicates);
}
