using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>
/// A car actor's view of its car: where it lives, its last sample, its alert counts by rule and its trace (the
/// points within traffic.cars.trace-span of its newest sample, oldest first; the last sample alone for a car seen once).
/// </summary>
public sealed record CarStatus(
    long CarId,
    string ActorPath,
    long Samples,
    long Alerts,
    Dictionary<string, long> AlertsByRule,
    EnrichedSample? LastSample,
    string ReferenceVersion,
    IReadOnlyList<TracePoint> Trace);
