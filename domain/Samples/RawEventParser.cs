using System.Globalization;
using System.Text.Json;

namespace TrafficActors.Domain;

/// <summary>Turns a <c>raw-data</c> payload into a <see cref="RawEvent"/> or a one-line rejection reason.</summary>
public static class RawEventParser
{
    public static ParseResult Parse(ReadOnlySpan<byte> payload, ValidationLimits limits)
    {
        if (payload.Length == 0)
            return ParseResult.Fail("empty message");
        if (payload.Length > limits.MaxMessageBytes)
            // Not the length: the consumer may have cut an oversized value already (its real size is in a header).
            return ParseResult.Fail($"message too large: over {limits.MaxMessageBytes} bytes");

        // The serializer does not validate text it skips (unknown fields), so check the encoding up front.
        if (!System.Text.Unicode.Utf8.IsValid(payload))
            return ParseResult.Fail("invalid UTF-8");

        return TryParseFast(payload, limits, out var fast) ? fast : ParseWithSerializer(payload, limits);
    }

    /// <summary>
    /// The reference path: the source-generated deserializer, whose exception texts become the rejection reasons.
    /// Every payload the fast path declines comes here, so unusual input is reported exactly as the serializer sees it.
    /// </summary>
    internal static ParseResult ParseWithSerializer(ReadOnlySpan<byte> payload, ValidationLimits limits)
    {
        RawEventDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(payload, TrafficJson.Default.RawEventDto);
        }
        catch (JsonException ex)
        {
            // The path names the offending field for type errors ("$.speed"); syntax errors carry a line/position.
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" at {ex.Path}";
            return ParseResult.Fail($"malformed JSON{where}: {FirstSentence(ex.Message)}");
        }
        catch (InvalidOperationException ex)
        {
            return ParseResult.Fail($"malformed JSON: {FirstSentence(ex.Message)}");
        }
        catch (ArgumentException ex)
        {
            // Invalid UTF-8 surfaces as an ArgumentException from the transcoder on some paths.
            return ParseResult.Fail($"malformed JSON: {FirstSentence(ex.Message)}");
        }

        return dto is null
            ? ParseResult.Fail("malformed JSON: not an object")
            : Validate(dto.EventId, dto.EventTime, null, dto.CarId, dto.Speed, dto.Rpm, dto.Gear, dto.Location, limits);
    }

    // Same limits as the serializer's reader, so the fast path never accepts what the serializer would refuse.
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = TrafficJson.Default.Options.MaxDepth,
        AllowTrailingCommas = TrafficJson.Default.Options.AllowTrailingCommas,
        CommentHandling = TrafficJson.Default.Options.ReadCommentHandling,
    };

    private enum Field { Unknown, EventId, EventTime, CarId, Speed, Rpm, Gear, Location, Lat, Lon }

    /// <summary>
    /// Reads the well-formed common case straight off the bytes. Returns false, without a verdict, on anything the
    /// serializer might treat differently or report with its own wording (syntax errors, nulls, unexpected token
    /// types, duplicate or escaped names, metadata-like names, trailing content); the caller then asks the serializer.
    /// </summary>
    internal static bool TryParseFast(ReadOnlySpan<byte> payload, ValidationLimits limits, out ParseResult result)
    {
        result = default;
        try
        {
            return TryReadEvent(payload, limits, out result);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool TryReadEvent(ReadOnlySpan<byte> payload, ValidationLimits limits, out ParseResult result)
    {
        result = default;
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;

        string? eventId = null;
        string? eventTimeText = null;
        DateTimeOffset? eventTime = null;
        double? carId = null, speed = null, rpm = null, gear = null;
        GeoPoint? location = null;
        var seen = 0;

        while (true)
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (!TryReadName(ref reader, isLocation: false, ref seen, out var field)) return false;

            switch (field)
            {
                case Field.Unknown:
                    reader.Skip();
                    break;
                case Field.EventId:
                    if (reader.TokenType != JsonTokenType.String) return false;
                    eventId = reader.GetString();
                    break;
                case Field.EventTime:
                    if (reader.TokenType != JsonTokenType.String) return false;
                    if (!reader.ValueIsEscaped && TryParseIsoUtc(reader.ValueSpan, out var t)) eventTime = t;
                    else eventTimeText = reader.GetString();
                    break;
                case Field.CarId:
                    if (!TryReadNumber(ref reader, out var c)) return false;
                    carId = c;
                    break;
                case Field.Speed:
                    if (!TryReadNumber(ref reader, out var s)) return false;
                    speed = s;
                    break;
                case Field.Rpm:
                    if (!TryReadNumber(ref reader, out var r)) return false;
                    rpm = r;
                    break;
                case Field.Gear:
                    if (!TryReadNumber(ref reader, out var g)) return false;
                    gear = g;
                    break;
                case Field.Location:
                    if (!TryReadLocation(ref reader, out location)) return false;
                    break;
                default:
                    return false;
            }
        }

        // Anything after the object, even another value, is the serializer's to report.
        if (reader.Read()) return false;

        result = Validate(eventId, eventTimeText, eventTime, carId, speed, rpm, gear, location, limits);
        return true;
    }

    private static bool TryReadLocation(ref Utf8JsonReader reader, out GeoPoint? location)
    {
        location = null;
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        double lat = 0, lon = 0;
        var seen = 0;
        while (true)
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (!TryReadName(ref reader, isLocation: true, ref seen, out var field)) return false;
            switch (field)
            {
                case Field.Unknown:
                    reader.Skip();
                    break;
                case Field.Lat:
                    if (!TryReadNumber(ref reader, out lat)) return false;
                    break;
                case Field.Lon:
                    if (!TryReadNumber(ref reader, out lon)) return false;
                    break;
                default:
                    return false;
            }
        }

        // A missing coordinate would default to 0 in the serializer; rare enough to leave to it.
        if (seen != ((1 << (int)Field.Lat) | (1 << (int)Field.Lon))) return false;
        location = new GeoPoint(lat, lon);
        return true;
    }

    /// <summary>Classifies the property name under the reader and moves it onto the value.</summary>
    private static bool TryReadName(ref Utf8JsonReader reader, bool isLocation, ref int seen, out Field field)
    {
        field = Field.Unknown;
        if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped) return false;
        var name = reader.ValueSpan;
        // '$' names can be metadata to the serializer rather than ordinary members.
        if (name.Length > 0 && name[0] == (byte)'$') return false;
        field = isLocation ? LocationField(name) : EventField(name);
        if (field != Field.Unknown)
        {
            var bit = 1 << (int)field;
            if ((seen & bit) != 0) return false;
            seen |= bit;
        }

        return reader.Read();
    }

    private static Field EventField(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("rpm"u8) => Field.Rpm,
        4 when name.SequenceEqual("gear"u8) => Field.Gear,
        5 when name.SequenceEqual("speed"u8) => Field.Speed,
        6 when name.SequenceEqual("car_id"u8) => Field.CarId,
        8 when name.SequenceEqual("event_id"u8) => Field.EventId,
        8 when name.SequenceEqual("location"u8) => Field.Location,
        10 when name.SequenceEqual("event_time"u8) => Field.EventTime,
        _ => Field.Unknown,
    };

    private static Field LocationField(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("lat"u8) ? Field.Lat : name.SequenceEqual("lon"u8) ? Field.Lon : Field.Unknown;

    private static bool TryReadNumber(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
    }

    /// <summary>
    /// Recognises only <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}][Z|±HH:mm]</c>, a shape <see cref="TryParseEventTime"/> reads
    /// to the same instant; false means "not recognised here", not "invalid", and the caller falls back to it.
    /// </summary>
    internal static bool TryParseIsoUtc(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute)
            || !TryDigits(s, 17, 2, out var second))
            return false;

        var i = 19;
        long fraction = 0;
        if (i < s.Length && s[i] == (byte)'.')
        {
            var first = ++i;
            while (i < s.Length && IsDigit(s[i]))
            {
                if (i - first == 7) return false;
                fraction = fraction * 10 + (s[i] - '0');
                i++;
            }

            var count = i - first;
            if (count == 0) return false;
            for (; count < 7; count++) fraction *= 10;
        }

        long offsetTicks = 0;
        if (i < s.Length)
        {
            var sign = s[i];
            if (sign == (byte)'Z')
            {
                i++;
            }
            else if (sign is (byte)'+' or (byte)'-')
            {
                if (s.Length - i != 6 || s[i + 3] != ':' || !TryDigits(s, i + 1, 2, out var oh)
                    || !TryDigits(s, i + 4, 2, out var om) || om > 59 || oh * 60 + om > 14 * 60)
                    return false;
                offsetTicks = (oh * 60L + om) * TimeSpan.TicksPerMinute * (sign == (byte)'-' ? -1 : 1);
                i += 6;
            }
            else
            {
                return false;
            }
        }

        if (i != s.Length) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
            return false;

        var utc = new DateTime(year, month, day, hour, minute, second).Ticks + fraction - offsetTicks;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks) return false;
        value = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var k = start; k < start + count; k++)
        {
            if (!IsDigit(s[k])) return false;
            value = value * 10 + (s[k] - '0');
        }

        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>
    /// Shared by both paths. The time arrives either already read (<paramref name="parsedTime"/>) or as text for
    /// <see cref="TryParseEventTime"/>; both null means the field was absent.
    /// </summary>
    private static ParseResult Validate(
        string? eventId, string? eventTimeText, DateTimeOffset? parsedTime, double? carIdValue, double? speedValue,
        double? rpmValue, double? gearValue, GeoPoint? location, ValidationLimits limits)
    {
        if (string.IsNullOrWhiteSpace(eventId)) return Missing("event_id");
        if (eventId.Length > 128) return ParseResult.Fail("invalid event_id: longer than 128 characters");
        DateTimeOffset eventTime;
        if (parsedTime is { } parsed) eventTime = parsed;
        else if (eventTimeText is null) return Missing("event_time");
        else if (!TryParseEventTime(eventTimeText, out eventTime))
            return ParseResult.Fail($"invalid event_time: '{Truncate(eventTimeText)}' is not ISO-8601");
        if (carIdValue is not { } carId) return Missing("car_id");
        if (!CarIds.IsValid(carId))
            return ParseResult.Fail($"invalid car_id: {Num(carId)} is not a positive integer id");
        if (speedValue is not { } speed) return Missing("speed");
        if (speed < 0 || speed > limits.MaxSpeed || double.IsNaN(speed))
            return ParseResult.Fail($"speed out of range: {Num(speed)} not in 0..{Num(limits.MaxSpeed)}");
        if (rpmValue is not { } rpm) return Missing("rpm");
        if (rpm != Math.Floor(rpm)) return ParseResult.Fail($"invalid rpm: {Num(rpm)} is not an integer");
        if (rpm < 0 || rpm > limits.MaxRpm)
            return ParseResult.Fail($"rpm out of range: {Num(rpm)} not in 0..{limits.MaxRpm}");
        if (gearValue is not { } gear) return Missing("gear");
        if (gear != Math.Floor(gear)) return ParseResult.Fail($"invalid gear: {Num(gear)} is not an integer");
        if (gear < limits.MinGear || gear > limits.MaxGear)
            return ParseResult.Fail($"gear out of range: {Num(gear)} not in {limits.MinGear}..{limits.MaxGear}");
        if (location is { } loc && (loc.Lat is < -90 or > 90 || loc.Lon is < -180 or > 180))
            return ParseResult.Fail($"location out of range: lat {Num(loc.Lat)}, lon {Num(loc.Lon)}");

        return ParseResult.Ok(new RawEvent(eventId, eventTime, (long)carId, speed, (int)rpm, (int)gear, location));
    }

    /// <summary>
    /// Accepts ISO-8601 with or without an offset; a missing offset is read as UTC because the seed's generator
    /// wrote naive timestamps. The result is always normalised to UTC.
    /// </summary>
    public static bool TryParseEventTime(string text, out DateTimeOffset value)
    {
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out value)
            && text.Length >= 10 && char.IsDigit(text[0]) && text[4] == '-')
        {
            value = value.ToUniversalTime();
            return true;
        }

        value = default;
        return false;
    }

    private static ParseResult Missing(string field) => ParseResult.Fail($"missing field: {field}");

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }
}
