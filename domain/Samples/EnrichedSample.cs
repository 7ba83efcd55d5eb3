using System.Text.Json.Serialization;

namespace TrafficActors.Domain;

/// <summary>
/// A raw event plus the seed's enrichment columns (topic <c>samples-enriched</c>). Enrichment fields are null
/// when the car is unknown to the reference data, as the seed's left join produced.
/// </summary>
public sealed record EnrichedSample(
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
    int ExpectedGear)
{
    public static EnrichedSample From(RawEvent raw, CarInfo? car, int expectedGear) => new(
        raw.EventId, raw.EventTime, raw.CarId, raw.Speed, raw.Rpm, raw.Gear, raw.Location,
        car?.DriverId, car?.BrandName, car?.ModelName, car?.ColorName, expectedGear);
}
