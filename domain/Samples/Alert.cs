using System.Text.Json.Serialization;

namespace TrafficActors.Domain;

/// <summary>An enriched sample that broke at least one rule (topic <c>alert-data</c>); one per offending event.</summary>
public sealed record Alert(
    string EventId,
    DateTimeOffset EventTime,
    long CarId,
    double Speed,
    int Rpm,
    int Gear,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] GeoPoint? Location,
    long? DriverId,
    string? BrandName,
    string? ModelName,
    string? ColorName,
    int ExpectedGear,
    IReadOnlyList<string> Violations)
{
    public static Alert From(EnrichedSample s, IReadOnlyList<string> violations) => new(
        s.EventId, s.EventTime, s.CarId, s.Speed, s.Rpm, s.Gear, s.Location,
        s.DriverId, s.BrandName, s.ModelName, s.ColorName, s.ExpectedGear, violations);
}
