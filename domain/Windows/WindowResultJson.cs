using System.Globalization;
using System.Text.Json;

namespace TrafficActors.Windows;

/// <summary>
/// The record of a closed window on the windows topic: its key (the window start) and its figures as JSON with the
/// snake_case names of <c>/api/windows</c>.
/// </summary>
public static class WindowResultJson
{
    public static string Key(DateTimeOffset start) => start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static byte[] Write(WindowStats w)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("window_start", w.WindowStart);
            json.WriteString("window_end", w.WindowEnd);
            json.WriteNumber("alerts", w.Alerts);
            WriteCounts(json, "by_color", w.ByColor);
            WriteCounts(json, "by_rule", w.ByRule);
            json.WriteNumber("max_speed", w.MaxSpeed);
            json.WriteNumber("max_gear", w.MaxGear);
            json.WriteNumber("max_rpm", w.MaxRpm);
            json.WriteNumber("late", w.Late);
            json.WriteBoolean("closed", w.Closed);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, Dictionary<string, long> counts)
    {
        json.WriteStartObject(name);
        foreach (var (k, v) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteNumber(k, v);
        json.WriteEndObject();
    }
}
