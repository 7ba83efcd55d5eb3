namespace TrafficActors.Web.Api;

/// <summary><c>GET /api/stats</c>: the node's pipeline counters and its current rate.</summary>
public sealed record StatsResponse(
    long Consumed,
    long Processed,
    long Alerts,
    long DeadLettered,
    long UnknownCars,
    long EnrichedProduced,
    long AlertsProduced,
    long WindowDuplicates,
    long LateAlerts,
    long CarSamples,
    long CarSamplesRemote,
    double EventsPerSecond,
    IngestView? Ingest);
