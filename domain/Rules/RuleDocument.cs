using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TrafficActors.Rules;

/// <summary>
/// Reads and validates a rules document (<c>rules.json</c>; <c>rules.conf</c> arrives here as the same tree once its
/// HOCON is read). The shape:
/// <code>
/// { "version": "2026-12-07.1",
///   "rules":  { "overspeed": { "enabled": true, "speed-above": 110 }, ... },
///   "models": { "Mazda 3": { "overspeed": { "speed-above": 100 } } } }
/// </code>
/// Rule and key names are those of the node's <c>traffic.rules</c> section. What the document leaves out keeps the
/// node's HOCON value; a model's override starts from the document's own rules. Unknown names are errors rather than
/// ignored, so a typo cannot silently leave a threshold unchanged.
/// </summary>
public static partial class RuleDocument
{
    public const string JsonName = "rules.json";
    public const string HoconName = "rules.conf";

    /// <summary>Names in the order a bucket or folder is searched: the JSON form wins when both exist.</summary>
    public static IReadOnlyList<string> Names { get; } = [JsonName, HoconName];

    /// <summary>The document's version member; always text, whatever it looks like.</summary>
    public const string VersionField = "version";
    private const string RulesField = "rules";
    private const string ModelsField = "models";
    private const int MaxVersionLength = 64;
    private const int ShownChars = 40;
    private const char ByteOrderMark = '\uFEFF';

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static bool IsHocon(string file) => file.EndsWith(".conf", StringComparison.OrdinalIgnoreCase);

    public static bool IsJson(string file) => file.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses JSON text; a syntax error names its line.</summary>
    public static RuleSet ParseJson(string file, string text, RuleSettings baseline)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(WithoutByteOrderMark(text), Options);
        }
        catch (JsonException ex)
        {
            throw new RuleDocumentException(file, (int)(ex.LineNumber ?? 0) + 1, null, "not valid JSON: " + FirstSentence(ex.Message));
        }

        using (doc) return Read(file, doc.RootElement, baseline);
    }

    /// <summary>
    /// The text without a leading byte order mark: editors on Windows save one, a UTF-8 decoder keeps it as a
    /// character, and the JSON reader would refuse the document for it.
    /// </summary>
    public static string WithoutByteOrderMark(string text) => text.Length > 0 && text[0] == ByteOrderMark ? text[1..] : text;

    /// <summary>Validates a document already read into a JSON tree (the HOCON form, converted by its reader).</summary>
    public static RuleSet Read(string file, JsonElement root, RuleSettings baseline)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new RuleDocumentException(file, 0, null, $"the document must be an object with \"{VersionField}\", \"{RulesField}\" and \"{ModelsField}\", not {Kind(root)}");
        string? version = null;
        var defaults = baseline;
        JsonElement? models = null;
        foreach (var (name, value) in Members(file, root, ""))
        {
            switch (name)
            {
                case VersionField:
                    version = ReadVersion(file, value);
                    break;
                case RulesField:
                    defaults = Apply(file, value, RulesField, baseline);
                    break;
                case ModelsField:
                    models = value;
                    break;
                default:
                    throw new RuleDocumentException(file, 0, name, $"unknown field; expected {VersionField}, {RulesField} or {ModelsField}");
            }
        }

        if (version is null) throw new RuleDocumentException(file, 0, VersionField, "missing: every rules document names its version");
        var overrides = new Dictionary<string, RuleSettings>(StringComparer.OrdinalIgnoreCase);
        if (models is { } m)
        {
            if (m.ValueKind != JsonValueKind.Object)
                throw new RuleDocumentException(file, 0, ModelsField, $"must be an object, not {Kind(m)}");
            // Cars are matched to an override ignoring case, so "Mazda 3" and "MAZDA 3" are one model: given both,
            // one would silently win.
            foreach (var p in m.EnumerateObject())
            {
                var (model, value) = (p.Name, p.Value);
                var path = $"{ModelsField}.\"{model}\"";
                if (overrides.ContainsKey(model))
                    throw new RuleDocumentException(file, 0, path, "given twice (model names are compared ignoring case)");
                if (string.IsNullOrWhiteSpace(model) || model.Trim() != model || !model.Contains(' ', StringComparison.Ordinal))
                    throw new RuleDocumentException(file, 0, path, "a model is named \"<brand> <model>\" as in alerts (brand_name, a space, model_name), e.g. \"Mazda 3\"");
                overrides[model] = Apply(file, value, path, defaults);
            }
        }

        return new RuleSet(version, defaults, overrides);
    }

    /// <summary>
    /// The rule set as a complete document (every key, overrides in full): what <c>traffic rules show --document</c>
    /// prints, ready to edit and send back with <c>traffic rules set</c>.
    /// </summary>
    public static string ToJson(RuleSet rules)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString(VersionField, rules.Version);
            w.WritePropertyName(RulesField);
            WriteRules(w, rules.Defaults);
            w.WriteStartObject(ModelsField);
            foreach (var (model, settings) in rules.Models.OrderBy(m => m.Key, StringComparer.OrdinalIgnoreCase))
            {
                w.WritePropertyName(model);
                WriteRules(w, settings);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRules(Utf8JsonWriter w, RuleSettings s)
    {
        w.WriteStartObject();
        w.WriteStartObject(Rule.Overspeed);
        w.WriteBoolean(Key.Enabled, s.OverspeedEnabled);
        w.WriteNumber(Key.SpeedAbove, s.OverspeedAbove);
        w.WriteEndObject();
        w.WriteStartObject(Rule.EngineStress);
        w.WriteBoolean(Key.Enabled, s.EngineStressEnabled);
        w.WriteNumber(Key.RpmAbove, s.EngineStressRpmAbove);
        w.WriteEndObject();
        w.WriteStartObject(Rule.WrongGear);
        w.WriteBoolean(Key.Enabled, s.WrongGearEnabled);
        w.WriteNumber(Key.KmhPerGear, s.KmhPerGear);
        w.WriteNumber(Key.MinGear, s.MinGear);
        w.WriteNumber(Key.MaxGear, s.MaxGear);
        w.WriteEndObject();
        w.WriteStartObject(Rule.HarshBraking);
        w.WriteBoolean(Key.Enabled, s.HarshBrakingEnabled);
        w.WriteNumber(Key.SpeedDrop, s.HarshBrakingDrop);
        w.WriteString(Key.Within, FormatDuration(s.HarshBrakingWithin));
        w.WriteEndObject();
        w.WriteStartObject(Rule.SustainedOverspeed);
        w.WriteBoolean(Key.Enabled, s.SustainedOverspeedEnabled);
        w.WriteNumber(Key.SpeedAbove, s.SustainedOverspeedAbove);
        w.WriteString(Key.LongerThan, FormatDuration(s.SustainedOverspeedLongerThan));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Whole seconds as "30s", anything finer in milliseconds, so the text reads back to the same value.</summary>
    private static string FormatDuration(TimeSpan d) =>
        d.Ticks % TimeSpan.TicksPerSecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{d.Ticks / TimeSpan.TicksPerSecond}s")
            : string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds}ms");

    /// <summary>
    /// A duration as HOCON writes one: a number and a unit (ms, s, m, h or their long forms), e.g. "3s", "500 ms",
    /// "2 minutes". A bare number is refused: its unit would be a guess.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)) return false;
        var unit = match.Groups[2].Value.ToLowerInvariant();
        double? ms = unit switch
        {
            "ms" or "millis" or "millisecond" or "milliseconds" => amount,
            "s" or "second" or "seconds" => amount * 1000,
            "m" or "min" or "minute" or "minutes" => amount * 60_000,
            "h" or "hour" or "hours" => amount * 3_600_000,
            _ => null,
        };
        if (ms is not { } value || !double.IsFinite(value) || value > TimeSpan.MaxValue.TotalMilliseconds) return false;
        duration = TimeSpan.FromMilliseconds(value);
        return true;
    }

    private static string ReadVersion(string file, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw new RuleDocumentException(file, 0, VersionField, $"must be a string, not {Kind(value)}");
        var version = value.GetString()!;
        if (!VersionPattern().IsMatch(version))
            throw new RuleDocumentException(file, 0, VersionField,
                $"\"{Shorten(version)}\" is not a version: 1 to {MaxVersionLength} letters, digits or . _ : + - (starting with a letter or digit)");
        if (version == RuleSet.DefaultVersion)
            throw new RuleDocumentException(file, 0, VersionField, $"\"{RuleSet.DefaultVersion}\" names the node's HOCON rules; give the document a version of its own");
        return version;
    }

    /// <summary>The settings <paramref name="start"/> with the rules object's values applied.</summary>
    private static RuleSettings Apply(string file, JsonElement rules, string path, RuleSettings start)
    {
        var s = start;
        foreach (var (rule, body) in Members(file, rules, path))
        {
            var rulePath = $"{path}.{rule}";
            if (!Rule.Keys.TryGetValue(rule, out var keys))
                throw new RuleDocumentException(file, 0, rulePath, $"unknown rule; expected one of {string.Join(", ", Rule.Keys.Keys)}");
            foreach (var (key, value) in Members(file, body, rulePath))
            {
                var field = $"{rulePath}.{key}";
                s = (rule, key) switch
                {
                    (Rule.Overspeed, Key.Enabled) => s with { OverspeedEnabled = Bool(file, field, value) },
                    (Rule.Overspeed, Key.SpeedAbove) => s with { OverspeedAbove = Number(file, field, value, 0, false) },
                    (Rule.EngineStress, Key.Enabled) => s with { EngineStressEnabled = Bool(file, field, value) },
                    (Rule.EngineStress, Key.RpmAbove) => s with { EngineStressRpmAbove = Integer(file, field, value, 0) },
                    (Rule.WrongGear, Key.Enabled) => s with { WrongGearEnabled = Bool(file, field, value) },
                    (Rule.WrongGear, Key.KmhPerGear) => s with { KmhPerGear = Number(file, field, value, 0, true) },
                    (Rule.WrongGear, Key.MinGear) => s with { MinGear = Integer(file, field, value, 0) },
                    (Rule.WrongGear, Key.MaxGear) => s with { MaxGear = Integer(file, field, value, 0) },
                    (Rule.HarshBraking, Key.Enabled) => s with { HarshBrakingEnabled = Bool(file, field, value) },
                    (Rule.HarshBraking, Key.SpeedDrop) => s with { HarshBrakingDrop = Number(file, field, value, 0, true) },
                    (Rule.HarshBraking, Key.Within) => s with { HarshBrakingWithin = Duration(file, field, value, true) },
                    (Rule.SustainedOverspeed, Key.Enabled) => s with { SustainedOverspeedEnabled = Bool(file, field, value) },
                    (Rule.SustainedOverspeed, Key.SpeedAbove) => s with { SustainedOverspeedAbove = Number(file, field, value, 0, false) },
                    (Rule.SustainedOverspeed, Key.LongerThan) => s with { SustainedOverspeedLongerThan = Duration(file, field, value, false) },
                    _ => throw new RuleDocumentException(file, 0, field, $"unknown key; {rule} has {string.Join(", ", keys)}"),
                };
            }
        }

        if (s.MinGear > s.MaxGear)
            throw new RuleDocumentException(file, 0, $"{path}.{Rule.WrongGear}", $"min-gear ({s.MinGear}) is above max-gear ({s.MaxGear})");
        return s;
    }

    /// <summary>An object's members in document order; a name given twice is an error (JSON would keep either).</summary>
    private static List<(string Name, JsonElement Value)> Members(string file, JsonElement obj, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw new RuleDocumentException(file, 0, path.Length == 0 ? null : path, $"must be an object, not {Kind(obj)}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<(string, JsonElement)>();
        foreach (var p in obj.EnumerateObject())
        {
            if (!seen.Add(p.Name))
                throw new RuleDocumentException(file, 0, path.Length == 0 ? p.Name : $"{path}.{p.Name}", "given twice");
            members.Add((p.Name, p.Value));
        }

        return members;
    }

    private static bool Bool(string file, string field, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new RuleDocumentException(file, 0, field, $"must be true or false, not {Kind(v)}"),
    };

    private static double Number(string file, string field, JsonElement v, double min, bool exclusive)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
            throw new RuleDocumentException(file, 0, field, $"must be a number, not {Kind(v)}");
        if (exclusive ? d <= min : d < min)
            throw new RuleDocumentException(file, 0, field, $"must be {(exclusive ? "above" : "at least")} {min.ToString(CultureInfo.InvariantCulture)}, not {d.ToString(CultureInfo.InvariantCulture)}");
        return d;
    }

    private static int Integer(string file, string field, JsonElement v, int min)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
            throw new RuleDocumentException(file, 0, field, $"must be a whole number, not {Kind(v)}");
        if (i < min) throw new RuleDocumentException(file, 0, field, $"must be at least {min}, not {i}");
        return i;
    }

    private static TimeSpan Duration(string file, string field, JsonElement v, bool positive)
    {
        if (v.ValueKind != JsonValueKind.String || !TryParseDuration(v.GetString()!, out var d))
            throw new RuleDocumentException(file, 0, field, $"must be a duration with a unit, e.g. \"3s\" or \"500ms\", not {Kind(v)}");
        if (positive ? d <= TimeSpan.Zero : d < TimeSpan.Zero)
            throw new RuleDocumentException(file, 0, field, $"must be {(positive ? "above zero" : "zero or more")}");
        return d;
    }

    private static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{Shorten(v.GetString()!)}\"",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    // Enough of a bad value to recognise it, on one line.
    private static string Shorten(string s) => (s.Length > ShownChars ? s[..ShownChars] + "…" : s).ReplaceLineEndings(" ");

    /// <summary>
    /// The parser's words without its position suffix (" Path: ... | LineNumber: n | ...", or " LineNumber: n | ..."
    /// when reading a document): its line count starts at 0, and the exception already names the line from 1.
    /// </summary>
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (end < 0) end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:+\-]{0,63}$")]
    private static partial Regex VersionPattern();

    /// <summary>Rule names as in <c>traffic.rules</c>, each with its keys.</summary>
    private static class Rule
    {
        public const string Overspeed = "overspeed";
        public const string EngineStress = "engine-stress";
        public const string WrongGear = "wrong-gear";
        public const string HarshBraking = "harsh-braking";
        public const string SustainedOverspeed = "sustained-overspeed";

        public static readonly Dictionary<string, string[]> Keys = new(StringComparer.Ordinal)
        {
            [Overspeed] = [Key.Enabled, Key.SpeedAbove],
            [EngineStress] = [Key.Enabled, Key.RpmAbove],
            [WrongGear] = [Key.Enabled, Key.KmhPerGear, Key.MinGear, Key.MaxGear],
            [HarshBraking] = [Key.Enabled, Key.SpeedDrop, Key.Within],
            [SustainedOverspeed] = [Key.Enabled, Key.SpeedAbove, Key.LongerThan],
        };
    }

    private static class Key
    {
        public const string Enabled = "enabled";
        public const string SpeedAbove = "speed-above";
        public const string RpmAbove = "rpm-above";
        public const string KmhPerGear = "km-h-per-gear";
        public const string MinGear = "min-gear";
        public const string MaxGear = "max-gear";
        public const string SpeedDrop = "speed-drop";
        public const string Within = "within";
        public const string LongerThan = "longer-than";
    }
}
