using TrafficActors.Domain;

namespace TrafficActors.Web.Management;

/// <summary>A car's actor: where it lives, what it has seen (<c>HasData</c> false = no sample yet) and its alerts.</summary>
public sealed record CarView(
    long CarId,
    bool HasData,
    string ActorPath,
    string ShardId,
    long Samples,
    long Alerts,
    Dictionary<string, long> AlertsByRule,
    EnrichedSample? LastSample,
    string ReferenceVersion);
