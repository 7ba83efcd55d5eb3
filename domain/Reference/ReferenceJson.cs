using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TrafficActors.Reference;

/// <summary>
/// Reads the JSON form of the reference files: an array of objects with the seed's field names
/// (<c>[{"model_id":1,"car_brand":"Mazda","car_model":"3"}, ...]</c>). Each object becomes the same cells a CSV row
/// would, so both formats share one validation; errors point at the line where the offending object starts.
/// </summary>
internal static class ReferenceJson
{
    public static IEnumerable<(int Line, string[] Cells)> Rows(string file, string text, string[] fields)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var rows = new List<(int, string[])>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw new ReferenceDataException(file, 1, "expected a JSON array of objects");
            var line = 1;
            var counted = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                line += CountNewlines(bytes, counted, start);
                counted = start;
                if (reader.TokenType != JsonTokenType.StartObject)
                    throw new ReferenceDataException(file, line, $"expected an object, found {reader.TokenType}");
                using var item = JsonDocument.ParseValue(ref reader);
                rows.Add((line, fields.Select(f => Cell(file, line, item.RootElement, f)).ToArray()));
            }
        }
        catch (JsonException ex)
        {
            throw new ReferenceDataException(file, (int)(ex.LineNumber ?? 0) + 1, "invalid JSON");
        }

        return rows;
    }

    private static string Cell(string file, int line, JsonElement item, string field)
    {
        if (!item.TryGetProperty(field, out var v))
            throw new ReferenceDataException(file, line, $"missing field '{field}'");
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new ReferenceDataException(file, line, $"field '{field}' must be a string or number, found {v.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)}"),
        };
    }

    private static int CountNewlines(byte[] bytes, int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++)
            if (bytes[i] == (byte)'\n') n++;
        return n;
    }
}
