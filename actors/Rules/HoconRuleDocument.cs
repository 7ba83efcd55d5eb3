using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace TrafficActors.Rules;

/// <summary>
/// Reads <c>rules.conf</c>: HOCON parsed by Akka's own reader, then turned into the JSON tree the domain validates,
/// so both forms obey one set of checks. HOCON leaves are untyped text; the tree types them the way HOCON does
/// (true/false/on/off/yes/no are booleans, numerals numbers, anything else a string such as "3s").
/// </summary>
public static class HoconRuleDocument
{
    public static RuleSet Parse(string file, string text, RuleSettings baseline)
    {
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception ex) when (ex is ConfigurationException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new RuleDocumentException(file, 0, null, "not valid HOCON: " + ex.Message);
        }

        var tree = config.Root is { } root && root.IsObject() ? ToNode(root) : new JsonObject();
        using var doc = JsonDocument.Parse(tree!.ToJsonString());
        return RuleDocument.Read(file, doc.RootElement, baseline);
    }

    /// <summary>Parses the document in the form its name says (<c>.json</c> or <c>.conf</c>).</summary>
    public static RuleSet ParseAny(string file, string text, RuleSettings baseline) =>
        RuleDocument.IsHocon(file) ? Parse(file, text, baseline) : RuleDocument.ParseJson(file, text, baseline);

    private static JsonNode? ToNode(HoconValue value)
    {
        if (value.IsObject())
        {
            var obj = new JsonObject();
            foreach (var (key, child) in value.GetObject().Items) obj[key] = ToNode(child);
            return obj;
        }

        if (value.IsArray())
        {
            var array = new JsonArray();
            foreach (var item in value.GetArray()) array.Add(ToNode(item));
            return array;
        }

        var text = value.GetString();
        if (text is null) return null;
        switch (text.ToLowerInvariant())
        {
            case "true" or "on" or "yes":
                return JsonValue.Create(true);
            case "false" or "off" or "no":
                return JsonValue.Create(false);
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }
}
