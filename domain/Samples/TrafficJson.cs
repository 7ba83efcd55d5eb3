using System.Text.Json.Serialization;

namespace TrafficActors.Domain;

/// <summary>Source-generated System.Text.Json metadata for everything on the wire (snake_case, like the seed).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    // Telemetry is flat; a deeply nested payload is hostile or broken, and is rejected early.
    MaxDepth = 16,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(RawEvent))]
[JsonSerializable(typeof(RawEventDto))]
[JsonSerializable(typeof(EnrichedSample))]
[JsonSerializable(typeof(Alert))]
public sealed partial class TrafficJson : JsonSerializerContext;
