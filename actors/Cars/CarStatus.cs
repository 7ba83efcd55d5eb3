using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>A car actor's view of its car: where it lives, its last sample and its alert counts by rule.</summary>
public sealed record CarStatus(
    long CarId,
    string ActorPath,
    long Samples,
    long Alerts,
    Dictionary<string, long> AlertsByRule,
    EnrichedSample? LastSample,
    string ReferenceVersion);
