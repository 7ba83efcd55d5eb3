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

        return dto is null ? ParseResult.Fail("malformed JSON: not an object") : Validate(dto, limits);
    }

    private static ParseResult Validate(RawEventDto d, ValidationLimits limits)
    {
        if (string.IsNullOrWhiteSpace(d.EventId)) return Missing("event_id");
        if (d.EventId.Length > 128) return ParseResult.Fail("invalid event_id: longer than 128 characters");
        if (d.EventTime is null) return Missing("event_time");
        if (!TryParseEventTime(d.EventTime, out var eventTime))
            return ParseResult.Fail($"invalid event_time: '{Truncate(d.EventTime)}' is not ISO-8601");
        if (d.CarId is not { } carId) return Missing("car_id");
        if (carId <= 0 || carId != Math.Floor(carId) || carId > 9_999_999_999d)
            return ParseResult.Fail($"invalid car_id: {Num(carId)} is not a positive integer id");
        if (d.Speed is not { } speed) return Missing("speed");
        if (speed < 0 || speed > limits.MaxSpeed || double.IsNaN(speed))
            return ParseResult.Fail($"speed out of range: {Num(speed)} not in 0..{Num(limits.MaxSpeed)}");
        if (d.Rpm is not { } rpm) return Missing("rpm");
        if (rpm != Math.Floor(rpm)) return ParseResult.Fail($"invalid rpm: {Num(rpm)} is not an integer");
        if (rpm < 0 || rpm > limits.MaxRpm)
            return ParseResult.Fail($"rpm out of range: {Num(rpm)} not in 0..{limits.MaxRpm}");
        if (d.Gear is not { } gear) return Missing("gear");
        if (gear != Math.Floor(gear)) return ParseResult.Fail($"invalid gear: {Num(gear)} is not an integer");
        if (gear < limits.MinGear || gear > limits.MaxGear)
            return ParseResult.Fail($"gear out of range: {Num(gear)} not in {limits.MinGear}..{limits.MaxGear}");
        if (d.Location is { } loc && (loc.Lat is < -90 or > 90 || loc.Lon is < -180 or > 180))
            return ParseResult.Fail($"location out of range: lat {Num(loc.Lat)}, lon {Num(loc.Lon)}");

        return ParseResult.Ok(new RawEvent(d.EventId, eventTime, (long)carId, speed, (int)rpm, (int)gear, d.Location));
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
