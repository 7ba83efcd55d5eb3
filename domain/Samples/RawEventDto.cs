namespace TrafficActors.Domain;

/// <summary>
/// Lenient shape used only while parsing: every field nullable and numeric fields as double, so a missing or
/// fractional value becomes a precise validation reason instead of a generic deserialization failure.
/// </summary>
public sealed record RawEventDto(
    string? EventId,
    string? EventTime,
    double? CarId,
    double? Speed,
    double? Rpm,
    double? Gear,
    GeoPoint? Location);
