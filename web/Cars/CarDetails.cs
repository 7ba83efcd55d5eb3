using TrafficActors.Domain;

namespace TrafficActors.Web.Cars;

/// <summary>
/// One car's drill-down (<c>GET /api/cars/{id}</c> and the hub's <c>car</c> push): its reference data, where its
/// actor lives (cluster member and shard), what the actor has seen since it started, its alerts by rule and its
/// trace, oldest point first. <c>Samples</c> 0 means no event reached the car since its actor started.
/// </summary>
public sealed record CarDetails(
    long CarId,
    long DriverId,
    string BrandName,
    string ModelName,
    string ColorName,
    string Node,
    string ShardId,
    long Samples,
    long Alerts,
    Dictionary<string, long> AlertsByRule,
    EnrichedSample? LastSample,
    TracePoint[] Trace,
    string ReferenceVersion);
