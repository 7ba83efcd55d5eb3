using System.Text.Json;

namespace TrafficActors.Domain;

/// <summary>Serialises records to the seed-compatible UTF-8 JSON used on every topic.</summary>
public static class WireFormat
{
    public static byte[] ToJson(RawEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, TrafficJson.Default.RawEvent);

    public static byte[] ToJson(EnrichedSample s) => JsonSerializer.SerializeToUtf8Bytes(s, TrafficJson.Default.EnrichedSample);

    public static byte[] ToJson(Alert a) => JsonSerializer.SerializeToUtf8Bytes(a, TrafficJson.Default.Alert);

    public static Alert ReadAlert(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, TrafficJson.Default.Alert) ?? throw new JsonException("null alert");

    public static EnrichedSample ReadEnriched(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, TrafficJson.Default.EnrichedSample) ?? throw new JsonException("null sample");

    /// <summary>Kafka key for everything about one car, so a car's events share a partition.</summary>
    public static byte[] CarKey(long carId) => System.Text.Encoding.ASCII.GetBytes(carId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Writes <see cref="CarKey"/>'s bytes into <paramref name="destination"/> (20 bytes suffice); returns the length.</summary>
    public static int WriteCarKey(long carId, Span<byte> destination) =>
        System.Buffers.Text.Utf8Formatter.TryFormat(carId, destination, out var written)
            ? written
            : throw new ArgumentException("destination too small for a car key", nameof(destination));
}
