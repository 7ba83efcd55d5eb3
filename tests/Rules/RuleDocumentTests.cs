using TrafficActors.Rules;
using Xunit;

namespace TrafficActors.Tests.Rules;

/// <summary>The rules document: what a valid one means, and that every bad one is refused naming its line or field.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class RuleDocumentTests
{
    private const string File = "rules.json";
    private static readonly RuleSettings Baseline = RuleSettings.SeedDefaults;

    private static RuleSet Parse(string json) => RuleDocument.ParseJson(File, json, Baseline);

    private static RuleDocumentException Refused(string json)
    {
        var ex = Assert.Throws<RuleDocumentException>(() => Parse(json));
        Assert.Equal(File, ex.File);
        Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
        Assert.Contains(ex.Reason, ex.Message);
        return ex;
    }

    /// <summary>A document with the version and the given rules, so each case shows only what it is about.</summary>
    private static string Doc(string rules, string models = "{}") => $$"""{ "version": "v1", "rules": {{rules}}, "models": {{models}} }""";

    [Fact]
    public void A_partial_document_keeps_the_baseline_for_everything_it_leaves_out()
    {
        var rules = Parse("""{ "version": "2026-12-07.1", "rules": { "overspeed": { "speed-above": 110 }, "harsh-braking": { "enabled": false } } }""");
        Assert.Equal("2026-12-07.1", rules.Version);
        Assert.Equal(Baseline with { OverspeedAbove = 110, HarshBrakingEnabled = false }, rules.Defaults);
        Assert.Empty(rules.Models);
        Assert.Same(rules.Default, rules.For("Mazda", "3"));
    }

    [Fact]
    public void A_version_alone_is_the_baseline_under_a_name_of_its_own()
    {
        var rules = Parse("""{ "version": "v2" }""");
        Assert.Equal("v2", rules.Version);
        Assert.Equal(Baseline, rules.Defaults);
    }

    [Fact]
    public void A_model_override_starts_from_the_documents_own_rules_not_the_baseline()
    {
        var rules = Parse(Doc(
            """{ "overspeed": { "speed-above": 110 }, "engine-stress": { "rpm-above": 5000 } }""",
            """{ "Mazda 3": { "overspeed": { "speed-above": 100 } } }"""));
        var mazda = Assert.Single(rules.Models);
        Assert.Equal("Mazda 3", mazda.Key);
        Assert.Equal(Baseline with { OverspeedAbove = 100, EngineStressRpmAbove = 5000 }, mazda.Value);
        Assert.Equal(Baseline with { OverspeedAbove = 110, EngineStressRpmAbove = 5000 }, rules.Defaults);
    }

    [Fact]
    public void Every_key_of_every_rule_is_read()
    {
        var rules = Parse(Doc("""
            {
              "overspeed": { "enabled": false, "speed-above": 90.5 },
              "engine-stress": { "enabled": false, "rpm-above": 4500 },
              "wrong-gear": { "enabled": false, "km-h-per-gear": 25, "min-gear": 2, "max-gear": 6 },
              "harsh-braking": { "enabled": false, "speed-drop": 35, "within": "2s" },
              "sustained-overspeed": { "enabled": false, "speed-above": 100, "longer-than": "1 minute" }
            }
            """));
        Assert.Equal(new RuleSettings(false, 90.5, false, 4500, false, 25, 2, 6, false, 35, TimeSpan.FromSeconds(2), false, 100, TimeSpan.FromMinutes(1)), rules.Defaults);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_accepted()
    {
        var rules = Parse("""
            // rules for the winter
            {
              "version": "winter-1", /* named by season */
              "rules": { "overspeed": { "speed-above": 100, }, },
            }
            """);
        Assert.Equal("winter-1", rules.Version);
        Assert.Equal(100, rules.Defaults.OverspeedAbove);
    }

    [Fact]
    public void Invalid_json_names_the_line_of_the_syntax_error()
    {
        var ex = Refused("{\n  \"version\": \"v1\",\n  \"rules\": { \"overspeed\": { \"speed-above\": 110 }\n  \"models\": {}\n}");
        Assert.Equal(4, ex.Line);
        Assert.Null(ex.Field);
        Assert.StartsWith("not valid JSON", ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith("rules.json:4: not valid JSON", ex.Message, StringComparison.Ordinal);
        // The parser counts lines from 0; its own position must not contradict the line named.
        Assert.DoesNotContain("LineNumber", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePosition", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leading_byte_order_mark_is_accepted()
    {
        Assert.Equal("v1", Parse("\uFEFF" + """{ "version": "v1" }""").Version);
        Assert.Equal("v1", TrafficActors.Rules.HoconRuleDocument.Parse("rules.conf", "\uFEFFversion = v1", Baseline).Version);
    }

    [Fact]
    public void Empty_text_is_invalid_json_on_line_one()
    {
        var ex = Refused("");
        Assert.Equal(1, ex.Line);
        Assert.StartsWith("not valid JSON", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "not an array")]
    [InlineData("\"v1\"", "not \"v1\"")]
    [InlineData("42", "not 42")]
    public void A_document_that_is_not_an_object_is_refused(string json, string says)
    {
        var ex = Refused(json);
        Assert.Equal(0, ex.Line);
        Assert.Null(ex.Field);
        Assert.StartsWith("the document must be an object", ex.Reason, StringComparison.Ordinal);
        Assert.EndsWith(says, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_version_is_refused()
    {
        var ex = Refused("""{ "rules": { "overspeed": { "speed-above": 110 } } }""");
        Assert.Equal("version", ex.Field);
        Assert.Contains("missing", ex.Reason);
        Assert.Equal("rules.json: version: missing: every rules document names its version", ex.Message);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"two words\"")]
    [InlineData("\"-leading-dash\"")]
    [InlineData("\"slash/inside\"")]
    [InlineData("\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"")] // 65 characters
    public void A_version_that_is_not_a_version_is_refused(string version)
    {
        var ex = Refused($$"""{ "version": {{version}} }""");
        Assert.Equal("version", ex.Field);
        Assert.Contains("is not a version", ex.Reason);
    }

    [Theory]
    [InlineData("1", "must be a string, not 1")]
    [InlineData("null", "must be a string, not null")]
    [InlineData("true", "must be a string, not true")]
    public void A_version_that_is_not_text_is_refused(string version, string reason)
    {
        var ex = Refused($$"""{ "version": {{version}} }""");
        Assert.Equal("version", ex.Field);
        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public void The_version_name_of_the_hocon_rules_is_reserved()
    {
        var ex = Refused("""{ "version": "default" }""");
        Assert.Equal("version", ex.Field);
        Assert.Contains("names the node's HOCON rules", ex.Reason);
    }

    [Fact]
    public void Version_allows_letters_digits_and_punctuation_up_to_64_characters()
    {
        Assert.Equal("2026-12-07T10:00+01_a.b", Parse("""{ "version": "2026-12-07T10:00+01_a.b" }""").Version);
        var longest = new string('v', 64);
        Assert.Equal(longest, Parse($$"""{ "version": "{{longest}}" }""").Version);
    }

    [Fact]
    public void An_unknown_top_level_field_is_refused()
    {
        var ex = Refused("""{ "version": "v1", "rule": {} }""");
        Assert.Equal("rule", ex.Field);
        Assert.Contains("unknown field", ex.Reason);
        Assert.Contains("version, rules or models", ex.Reason);
    }

    [Fact]
    public void An_unknown_rule_is_refused_listing_the_rules()
    {
        var ex = Refused(Doc("""{ "overspeeding": { "speed-above": 110 } }"""));
        Assert.Equal("rules.overspeeding", ex.Field);
        Assert.Contains("unknown rule", ex.Reason);
        Assert.Contains("overspeed, engine-stress, wrong-gear, harsh-braking, sustained-overspeed", ex.Reason);
    }

    [Fact]
    public void An_unknown_key_is_refused_listing_the_rules_keys()
    {
        var ex = Refused(Doc("""{ "overspeed": { "speed_above": 110 } }"""));
        Assert.Equal("rules.overspeed.speed_above", ex.Field);
        Assert.Equal("unknown key; overspeed has enabled, speed-above", ex.Reason);
    }

    [Fact]
    public void A_key_of_another_rule_is_refused()
    {
        var ex = Refused(Doc("""{ "overspeed": { "rpm-above": 5000 } }"""));
        Assert.Equal("rules.overspeed.rpm-above", ex.Field);
        Assert.Contains("unknown key", ex.Reason);
    }

    [Theory]
    [InlineData("""{ "overspeed": { "speed-above": "110" } }""", "rules.overspeed.speed-above", "must be a number, not \"110\"")]
    [InlineData("""{ "engine-stress": { "rpm-above": 5000.5 } }""", "rules.engine-stress.rpm-above", "must be a whole number, not 5000.5")]
    [InlineData("""{ "wrong-gear": { "min-gear": "1" } }""", "rules.wrong-gear.min-gear", "must be a whole number, not \"1\"")]
    [InlineData("""{ "overspeed": { "enabled": 1 } }""", "rules.overspeed.enabled", "must be true or false, not 1")]
    [InlineData("""{ "overspeed": { "enabled": "true" } }""", "rules.overspeed.enabled", "must be true or false, not \"true\"")]
    [InlineData("""{ "harsh-braking": { "within": 3 } }""", "rules.harsh-braking.within", "must be a duration with a unit, e.g. \"3s\" or \"500ms\", not 3")]
    [InlineData("""{ "sustained-overspeed": { "longer-than": "30" } }""", "rules.sustained-overspeed.longer-than", "must be a duration with a unit, e.g. \"3s\" or \"500ms\", not \"30\"")]
    [InlineData("""{ "overspeed": { "speed-above": null } }""", "rules.overspeed.speed-above", "must be a number, not null")]
    [InlineData("""{ "overspeed": [] }""", "rules.overspeed", "must be an object, not an array")]
    [InlineData("""{ "overspeed": 110 }""", "rules.overspeed", "must be an object, not 110")]
    public void A_value_of_the_wrong_type_is_refused_naming_its_field(string rules, string field, string reason)
    {
        var ex = Refused(Doc(rules));
        Assert.Equal(0, ex.Line);
        Assert.Equal(field, ex.Field);
        Assert.Equal(reason, ex.Reason);
        Assert.Equal($"{File}: {field}: {reason}", ex.Message);
    }

    [Fact]
    public void Rules_and_models_that_are_not_objects_are_refused()
    {
        Assert.Equal("rules", Refused("""{ "version": "v1", "rules": [] }""").Field);
        Assert.Equal("models", Refused("""{ "version": "v1", "models": "Mazda 3" }""").Field);
        Assert.Equal("models.\"Mazda 3\"", Refused(Doc("{}", """{ "Mazda 3": true }""")).Field);
    }

    [Theory]
    [InlineData("""{ "overspeed": { "speed-above": -1 } }""", "rules.overspeed.speed-above", "must be at least 0, not -1")]
    [InlineData("""{ "sustained-overspeed": { "speed-above": -0.5 } }""", "rules.sustained-overspeed.speed-above", "must be at least 0, not -0.5")]
    [InlineData("""{ "engine-stress": { "rpm-above": -1 } }""", "rules.engine-stress.rpm-above", "must be at least 0, not -1")]
    [InlineData("""{ "wrong-gear": { "km-h-per-gear": 0 } }""", "rules.wrong-gear.km-h-per-gear", "must be above 0, not 0")]
    [InlineData("""{ "wrong-gear": { "min-gear": -1 } }""", "rules.wrong-gear.min-gear", "must be at least 0, not -1")]
    [InlineData("""{ "harsh-braking": { "speed-drop": 0 } }""", "rules.harsh-braking.speed-drop", "must be above 0, not 0")]
    [InlineData("""{ "harsh-braking": { "within": "0s" } }""", "rules.harsh-braking.within", "must be above zero")]
    public void A_value_out_of_range_is_refused_naming_its_field(string rules, string field, string reason)
    {
        var ex = Refused(Doc(rules));
        Assert.Equal(field, ex.Field);
        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public void Zero_is_allowed_where_it_means_something()
    {
        var rules = Parse(Doc("""{ "overspeed": { "speed-above": 0 }, "engine-stress": { "rpm-above": 0 }, "sustained-overspeed": { "longer-than": "0s" } }"""));
        Assert.Equal(0, rules.Defaults.OverspeedAbove);
        Assert.Equal(0, rules.Defaults.EngineStressRpmAbove);
        Assert.Equal(TimeSpan.Zero, rules.Defaults.SustainedOverspeedLongerThan);
    }

    [Fact]
    public void Min_gear_above_max_gear_is_refused_even_when_one_of_them_comes_from_the_baseline()
    {
        var both = Refused(Doc("""{ "wrong-gear": { "min-gear": 5, "max-gear": 4 } }"""));
        Assert.Equal("rules.wrong-gear", both.Field);
        Assert.Equal("min-gear (5) is above max-gear (4)", both.Reason);

        // The baseline's max-gear is 7.
        Assert.Equal("min-gear (8) is above max-gear (7)", Refused(Doc("""{ "wrong-gear": { "min-gear": 8 } }""")).Reason);

        var model = Refused(Doc("{}", """{ "Mazda 3": { "wrong-gear": { "max-gear": 0 } } }"""));
        Assert.Equal("models.\"Mazda 3\".wrong-gear", model.Field);
        Assert.Equal("min-gear (1) is above max-gear (0)", model.Reason);
    }

    [Theory]
    [InlineData("""{ "version": "v1", "version": "v2" }""", "version")]
    [InlineData("""{ "version": "v1", "rules": { "overspeed": {}, "overspeed": {} } }""", "rules.overspeed")]
    [InlineData("""{ "version": "v1", "rules": { "overspeed": { "speed-above": 100, "speed-above": 110 } } }""", "rules.overspeed.speed-above")]
    public void A_name_given_twice_is_refused(string json, string field)
    {
        var ex = Refused(json);
        Assert.Equal(field, ex.Field);
        Assert.Equal("given twice", ex.Reason);
    }

    [Fact]
    public void A_model_given_twice_is_refused()
    {
        var ex = Refused("""{ "version": "v1", "models": { "Mazda 3": {}, "Mazda 3": {} } }""");
        Assert.Equal("models.\"Mazda 3\"", ex.Field);
        Assert.StartsWith("given twice", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_given_twice_in_different_case_is_refused_since_models_match_ignoring_case()
    {
        var ex = Refused(Doc("{}", """{ "Mazda 3": { "overspeed": { "speed-above": 100 } }, "MAZDA 3": { "overspeed": { "speed-above": 90 } } }"""));
        Assert.Equal("models.\"MAZDA 3\"", ex.Field);
        Assert.Contains("given twice", ex.Reason);
    }

    [Theory]
    [InlineData("Mazda")]
    [InlineData("")]
    [InlineData(" Mazda 3")]
    [InlineData("Mazda 3 ")]
    [InlineData("   ")]
    public void A_model_not_named_brand_space_model_is_refused(string model)
    {
        var ex = Refused(Doc("{}", $$"""{ "{{model}}": { "overspeed": { "speed-above": 100 } } }"""));
        Assert.Equal($"models.\"{model}\"", ex.Field);
        Assert.Contains("\"<brand> <model>\"", ex.Reason);
    }

    [Fact]
    public void A_bad_value_inside_a_model_override_names_the_model()
    {
        var ex = Refused(Doc("{}", """{ "Mazda 3": { "overspeed": { "speed-above": "fast" } } }"""));
        Assert.Equal("models.\"Mazda 3\".overspeed.speed-above", ex.Field);
        Assert.Equal("must be a number, not \"fast\"", ex.Reason);
    }

    [Fact]
    public void A_long_bad_value_is_shortened_to_one_line_in_the_reason()
    {
        var ex = Refused(Doc($$"""{ "overspeed": { "speed-above": "{{new string('x', 100)}}\nsecond line" } }"""));
        Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
        Assert.Contains(new string('x', 40) + "…", ex.Reason);
        Assert.DoesNotContain(new string('x', 41), ex.Reason);
    }

    [Fact]
    public void ToJson_reads_back_to_the_same_rules()
    {
        var rules = Parse(Doc(
            """
            {
              "overspeed": { "enabled": false, "speed-above": 112.5 },
              "harsh-braking": { "within": "1500ms" },
              "sustained-overspeed": { "longer-than": "2 minutes" }
            }
            """,
            """{ "Mazda 3": { "overspeed": { "enabled": true, "speed-above": 100 } }, "Kia Rio": { "wrong-gear": { "max-gear": 5 } } }"""));
        var back = Parse(RuleDocument.ToJson(rules));
        Assert.Equal(rules.Version, back.Version);
        Assert.Equal(rules.Defaults, back.Defaults);
        Assert.Equal(rules.Models.OrderBy(m => m.Key, StringComparer.Ordinal), back.Models.OrderBy(m => m.Key, StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), back.Defaults.HarshBrakingWithin);
    }

    [Fact]
    public void ToJson_writes_every_key_so_the_document_stands_on_its_own()
    {
        var rules = Parse("""{ "version": "v9" }""");
        var other = RuleSettings.SeedDefaults with { OverspeedAbove = 1, MinGear = 0, MaxGear = 1 };
        var standalone = RuleDocument.ParseJson(File, RuleDocument.ToJson(rules), other);
        Assert.Equal(Baseline, standalone.Defaults);
    }

    [Fact]
    public void ToJson_of_durations_finer_than_a_second_reads_back_exactly()
    {
        var settings = Baseline with { HarshBrakingWithin = TimeSpan.FromTicks(12_345_678), SustainedOverspeedLongerThan = TimeSpan.FromMilliseconds(0.5) };
        var rules = new RuleSet("fine", settings, new Dictionary<string, RuleSettings>());
        Assert.Equal(settings, Parse(RuleDocument.ToJson(rules)).Defaults);
    }

    [Theory]
    [InlineData("3s", 3000)]
    [InlineData("500ms", 500)]
    [InlineData("2 minutes", 120_000)]
    [InlineData("1.5s", 1500)]
    [InlineData(" 3 s ", 3000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("2 seconds", 2000)]
    [InlineData("1m", 60_000)]
    [InlineData("0s", 0)]
    public void Durations_with_a_unit_are_read(string text, double milliseconds)
    {
        Assert.True(RuleDocument.TryParseDuration(text, out var d));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), d);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("3x")]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("-3s")]
    [InlineData("3 s s")]
    [InlineData("1e3s")]
    [InlineData("9999999999999h")]
    public void Durations_without_a_known_unit_are_refused(string text) =>
        Assert.False(RuleDocument.TryParseDuration(text, out _));
}
