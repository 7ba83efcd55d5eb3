using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrafficActors.Domain;

/// <summary>Serialises records to the seed-compatible UTF-8 JSON used on every topic.</summary>
public static class WireFormat
{
    /// <summary>The JSON name of an alert's list of broken rules.</summary>
    public const string ViolationsField = "violations";

    /// <summary>The JSON name of the version of the rules that judged an alert.</summary>
    public const string RulesVersionField = "rules_version";

    public static byte[] ToJson(RawEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, TrafficJson.Default.RawEvent);

    /// <summary>Same bytes as the source-generated serializer for <see cref="EnrichedSample"/>.</summary>
    public static byte[] ToJson(EnrichedSample s)
    {
        var writer = RentWriter(out var buffer);
        writer.WriteStartObject();
        WriteSampleFields(writer, s.EventId, s.EventTime, s.CarId, s.Speed, s.Rpm, s.Gear, s.Location,
            s.DriverId, s.BrandName, s.ModelName, s.ColorName, s.ExpectedGear);
        writer.WriteEndObject();
        return Finish(writer, buffer);
    }

    /// <summary>An alert as the seed writes it: its sample's fields, then <c>violations</c>; then <c>rules_version</c> when known.</summary>
    public static byte[] ToJson(Alert a)
    {
        var writer = RentWriter(out var buffer);
        writer.WriteStartObject();
        var s = a.Sample;
        WriteSampleFields(writer, s.EventId, s.EventTime, s.CarId, s.Speed, s.Rpm, s.Gear, s.Location,
            s.DriverId, s.BrandName, s.ModelName, s.ColorName, s.ExpectedGear);
        writer.WritePropertyName(ViolationsName);
        if (a.Violations is { } violations)
        {
            writer.WriteStartArray();
            for (var i = 0; i < violations.Count; i++) writer.WriteStringValue(violations[i]);
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }

        if (a.RulesVersion is { } version) writer.WriteString(RulesVersionName, version);
        writer.WriteEndObject();
        return Finish(writer, buffer);
    }

    /// <summary>
    /// The same bytes as <see cref="ToJson(Alert)"/> for the alert of a sample whose JSON is already written
    /// (<see cref="ToJson(EnrichedSample)"/>): an alert's fields are its sample's followed by its violations, so the
    /// sample's object is copied up to its closing brace and the violations (and the rules' version) appended.
    /// </summary>
    public static byte[] AlertJson(ReadOnlySpan<byte> enrichedJson, IReadOnlyList<string>? violations, string? rulesVersion = null)
    {
        var versionJson = rulesVersion is null ? [] : QuotedName(rulesVersion);
        var length = enrichedJson.Length + ViolationsSuffixLength(violations) + (rulesVersion is null ? 0 : 1 + RulesVersionProperty.Length + versionJson.Length);
        var bytes = new byte[length];
        var at = enrichedJson.Length - 1;
        enrichedJson[..at].CopyTo(bytes);
        Append(bytes, ref at, ","u8);
        Append(bytes, ref at, ViolationsProperty);
        if (violations is null)
        {
            Append(bytes, ref at, "null"u8);
        }
        else
        {
            Append(bytes, ref at, "["u8);
            for (var i = 0; i < violations.Count; i++)
            {
                if (i > 0) Append(bytes, ref at, ","u8);
                Append(bytes, ref at, Item(violations[i]));
            }

            Append(bytes, ref at, "]"u8);
        }

        if (rulesVersion is not null)
        {
            Append(bytes, ref at, ","u8);
            Append(bytes, ref at, RulesVersionProperty);
            Append(bytes, ref at, versionJson);
        }

        Append(bytes, ref at, "}"u8);
        return bytes;
    }

    private static int ViolationsSuffixLength(IReadOnlyList<string>? violations)
    {
        // ',' + "violations": + value (the closing brace is the sample's own, moved to the end).
        var length = 1 + ViolationsProperty.Length;
        if (violations is null) return length + 4;
        length += 2 + Math.Max(0, violations.Count - 1);
        for (var i = 0; i < violations.Count; i++) length += Item(violations[i]).Length;
        return length;
    }

    private static byte[] QuotedName(string name) => QuotedNames.GetOrAdd(name, static n => [(byte)'"', .. JsonEncodedText.Encode(n, Encoder).EncodedUtf8Bytes, (byte)'"']);

    // A null item can only come from outside the rule engine; the serializer writes it as null.
    private static ReadOnlySpan<byte> Item(string? name) => name is null ? "null"u8 : QuotedName(name);

    private static void Append(byte[] to, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(to.AsSpan(at));
        at += bytes.Length;
    }

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

    // Encoded with the serializer's own encoder setting, so names and escaping match it byte for byte.
    private static readonly JavaScriptEncoder? Encoder = TrafficJson.Default.Options.Encoder;
    private static readonly JsonEncodedText EventIdName = Name("event_id");
    private static readonly JsonEncodedText EventTimeName = Name("event_time");
    private static readonly JsonEncodedText CarIdName = Name("car_id");
    private static readonly JsonEncodedText SpeedName = Name("speed");
    private static readonly JsonEncodedText RpmName = Name("rpm");
    private static readonly JsonEncodedText GearName = Name("gear");
    private static readonly JsonEncodedText LocationName = Name("location");
    private static readonly JsonEncodedText LatName = Name("lat");
    private static readonly JsonEncodedText LonName = Name("lon");
    private static readonly JsonEncodedText DriverIdName = Name("driver_id");
    private static readonly JsonEncodedText BrandNameName = Name("brand_name");
    private static readonly JsonEncodedText ModelNameName = Name("model_name");
    private static readonly JsonEncodedText ColorNameName = Name("color_name");
    private static readonly JsonEncodedText ExpectedGearName = Name("expected_gear");
    private static readonly JsonEncodedText ViolationsName = Name(ViolationsField);
    private static readonly JsonEncodedText RulesVersionName = Name(RulesVersionField);

    // Rule names are few and fixed, rules versions few (one per document put in force); each is encoded once, with the writer's encoder.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> QuotedNames = new(StringComparer.Ordinal);

    private static readonly byte[] ViolationsProperty = [(byte)'"', .. ViolationsName.EncodedUtf8Bytes, (byte)'"', (byte)':'];
    private static readonly byte[] RulesVersionProperty = [(byte)'"', .. RulesVersionName.EncodedUtf8Bytes, (byte)'"', (byte)':'];

    // A rare huge record should not pin its buffer to the thread for good.
    private const int RetainedBufferBytes = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;
    [ThreadStatic] private static Utf8JsonWriter? _writer;

    private static JsonEncodedText Name(string name) => JsonEncodedText.Encode(name, Encoder);

    private static Utf8JsonWriter RentWriter(out ArrayBufferWriter<byte> buffer)
    {
        buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        if (_writer is { } writer)
        {
            writer.Reset(buffer);
            return writer;
        }

        var options = TrafficJson.Default.Options;
        return _writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = options.Encoder,
            Indented = options.WriteIndented,
            MaxDepth = options.MaxDepth,
        });
    }

    private static byte[] Finish(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer)
    {
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > RetainedBufferBytes)
        {
            _buffer = null;
            _writer = null;
        }

        return bytes;
    }

    private static void WriteSampleFields(
        Utf8JsonWriter w, string eventId, DateTimeOffset eventTime, long carId, double speed, int rpm, int gear,
        GeoPoint? location, long? driverId, string? brandName, string? modelName, string? colorName, int expectedGear)
    {
        WriteNullableString(w, EventIdName, eventId);
        w.WriteString(EventTimeName, eventTime);
        w.WriteNumber(CarIdName, carId);
        w.WriteNumber(SpeedName, speed);
        w.WriteNumber(RpmName, rpm);
        w.WriteNumber(GearName, gear);
        if (location is not null)
        {
            w.WriteStartObject(LocationName);
            w.WriteNumber(LatName, location.Lat);
            w.WriteNumber(LonName, location.Lon);
            w.WriteEndObject();
        }

        if (driverId is { } driver) w.WriteNumber(DriverIdName, driver);
        else w.WriteNull(DriverIdName);
        WriteNullableString(w, BrandNameName, brandName);
        WriteNullableString(w, ModelNameName, modelName);
        WriteNullableString(w, ColorNameName, colorName);
        w.WriteNumber(ExpectedGearName, expectedGear);
    }

    // The record's non-nullable strings can still be null at run time; the serializer then writes null.
    private static void WriteNullableString(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
