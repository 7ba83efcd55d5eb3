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
        text = RuleDocument.WithoutByteOrderMark(text);
        CheckStructure(file, text);
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception ex) when (ex is ConfigurationException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new RuleDocumentException(file, 0, null, "not valid HOCON: " + ex.Message);
        }

        var tree = config.Root is { } root && root.IsObject() ? (JsonObject)ToNode(root)! : new JsonObject();
        // HOCON does not say whether `version = 2` was quoted, and a version is text: "2" or "1.5" stays a name.
        if (config.Root is { } r && r.IsObject() && r.GetObject().Items.TryGetValue(RuleDocument.VersionField, out var version) && version.IsString())
            tree[RuleDocument.VersionField] = JsonValue.Create(version.GetString());
        using var doc = JsonDocument.Parse(tree.ToJsonString());
        return RuleDocument.Read(file, doc.RootElement, baseline);
    }

    /// <summary>
    /// Akka's reader forgives unbalanced braces and unclosed strings, so a truncated or mangled rules.conf would be
    /// read as whatever its first part says. Quotes, brackets and braces are checked here first, naming the line.
    /// </summary>
    private static void CheckStructure(string file, string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\n':
                    line++;
                    break;
                case '#':
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                    break;
                case '"' when string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0:
                    var start = line;
                    var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0) throw Syntax(file, start, "a \"\"\" string is never closed");
                    line += text.AsSpan(i, end - i).Count('\n');
                    i = end + 2;
                    break;
                case '"':
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\n') throw Syntax(file, line, "a quoted string is not closed on its line");
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] != '\n') i++;
                    }

                    if (i >= text.Length) throw Syntax(file, line, "a quoted string is never closed");
                    break;
                case '{' or '[':
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0) throw Syntax(file, line, $"'{c}' closes nothing");
                    var (bracket, at) = open.Pop();
                    if (bracket != expected) throw Syntax(file, line, $"'{c}' closes the '{bracket}' of line {at}");
                    break;
            }
        }

        if (open.Count > 0)
        {
            var (bracket, at) = open.Pop();
            throw Syntax(file, at, $"'{bracket}' is never closed (is the document cut short?)");
        }
    }

    private static RuleDocumentException Syntax(string file, int line, string reason) => new(file, line, null, "not valid HOCON: " + reason);

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

        // NaN and infinities have no JSON form: left as text, they are refused as "not a number" like any other word.
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }
}
