using System.Text.Json.Serialization;

namespace TrafficActors.Domain;

/// <summary>One telemetry sample as it travels on the <c>raw-data</c> topic (seed wire format).</summary>
public sealed record RawEvent(
    string EventId,
    DateTimeOffset EventTime,
    long CarId,
    double Speed,
    int Rpm,
    int Gear,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] GeoPoint? Location = null);
