using TrafficActors.Rules;
using Xunit;

namespace TrafficActors.Tests.Rules;

/// <summary><c>rules.conf</c>: the HOCON form of a rules document means what its JSON form means and is checked the same way.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class HoconRuleDocumentTests
{
    private const string File = "rules.conf";
    private static readonly RuleSettings Baseline = RuleSettings.SeedDefaults;

    private const string Json = """
        {
          "version": "2026-12-07.1",
          "rules": {
            "overspeed": { "enabled": true, "speed-above": 110 },
            "engine-stress": { "enabled": false },
            "wrong-gear": { "km-h-per-gear": 25.5, "min-gear": 1, "max-gear": 6 },
            "harsh-braking": { "speed-drop": 35, "within": "3s" },
            "sustained-overspeed": { "speed-above": 115, "longer-than": "500ms" }
          },
          "models": {
            "Mazda 3": { "overspeed": { "speed-above": 100 } },
            "Kia Rio": { "harsh-braking": { "enabled": false, "within": "2 minutes" } }
          }
        }
        """;

    private const string Hocon = """
        # the same rules as the JSON above
        version = "2026-12-07.1"
        rules {
          overspeed { enabled = on, speed-above = 110 }
          engine-stress.enabled = off
          wrong-gear { km-h-per-gear = 25.5, min-gear = 1, max-gear = 6 }
          harsh-braking { speed-drop = 35, within = 3s }
          sustained-overspeed { speed-above = 115, longer-than = 500ms }
        }
        models {
          "Mazda 3" { overspeed.speed-above = 100 }
          "Kia Rio" { harsh-braking { enabled = no, within = 2 minutes } }
        }
        """;

    private static RuleSet Parse(string hocon) => HoconRuleDocument.Parse(File, hocon, Baseline);

    private static RuleDocumentException Refused(string hocon)
    {
        var ex = Assert.Throws<RuleDocumentException>(() => Parse(hocon));
        Assert.Equal(File, ex.File);
        Assert.Contains(ex.Reason, ex.Message);
        return ex;
    }

    private static void AssertSameRules(RuleSet expected, RuleSet actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Defaults, actual.Defaults);
        Assert.Equal(expected.Models.OrderBy(m => m.Key, StringComparer.Ordinal), actual.Models.OrderBy(m => m.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_hocon_form_gives_the_same_rules_as_the_json_form()
    {
        var fromJson = RuleDocument.ParseJson("rules.json", Json, Baseline);
        var fromHocon = Parse(Hocon);
        AssertSameRules(fromJson, fromHocon);

        Assert.Equal(100, fromHocon.For("Mazda", "3").Settings.OverspeedAbove);
        Assert.Equal(110, fromHocon.For("Kia", "Ceed").Settings.OverspeedAbove);
        Assert.False(fromHocon.For("Kia", "Rio").Settings.HarshBrakingEnabled);
        Assert.Equal(TimeSpan.FromMinutes(2), fromHocon.For("Kia", "Rio").Settings.HarshBrakingWithin);
        Assert.Equal(TimeSpan.FromMilliseconds(500), fromHocon.Defaults.SustainedOverspeedLongerThan);
    }

    [Fact]
    public void ParseAny_picks_the_form_by_the_files_extension()
    {
        AssertSameRules(Parse(Hocon), HoconRuleDocument.ParseAny("rules.json", Json, Baseline));
        AssertSameRules(Parse(Hocon), HoconRuleDocument.ParseAny("/etc/traffic/RULES.CONF", Hocon, Baseline));
        // HOCON text under a .json name is read as JSON, and refused as such.
        Assert.StartsWith("not valid JSON", Assert.Throws<RuleDocumentException>(() => HoconRuleDocument.ParseAny("rules.json", Hocon, Baseline)).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Hocon_booleans_are_booleans(string text, bool value) =>
        Assert.Equal(value, Parse($"version = v1\nrules.overspeed.enabled = {text}").Defaults.OverspeedEnabled);

    [Theory]
    [InlineData("version = 2", "2")]
    [InlineData("version = \"1.5\"", "1.5")]
    [InlineData("version = 2026-12-07.1", "2026-12-07.1")]
    public void A_version_that_looks_like_a_number_is_still_a_version(string line, string version) =>
        Assert.Equal(version, Parse(line).Version);

    [Theory]
    [InlineData("version = v1\nrules {\n  overspeed { speed-above = 110 }\n", 2, "'{' is never closed (is the document cut short?)")]
    [InlineData("version = v1\nrules {\n  overspeed { speed-above = 110 \n", 3, "'{' is never closed (is the document cut short?)")]
    [InlineData("version = v1\nrules }", 2, "'}' closes nothing")]
    [InlineData("version = v1\nrules { overspeed [ }", 2, "'}' closes the '[' of line 2")]
    [InlineData("version = \"v1", 1, "a quoted string is never closed")]
    [InlineData("version = \"v1\nrules {}", 1, "a quoted string is not closed on its line")]
    [InlineData("# a comment's { brace\nversion = v1\nnote = \"\"\"\nopen", 3, "a \"\"\" string is never closed")]
    public void A_syntax_error_is_refused_with_its_line_and_a_clear_reason(string hocon, int line, string reason)
    {
        var ex = Refused(hocon);
        Assert.Equal(line, ex.Line);
        Assert.Null(ex.Field);
        Assert.Equal("not valid HOCON: " + reason, ex.Reason);
        Assert.Equal($"{File}:{line}: not valid HOCON: {reason}", ex.Message);
    }

    [Fact]
    public void An_error_of_the_hocon_reader_itself_is_refused_with_its_words()
    {
        var ex = Refused("version = v1\nrules.overspeed.speed-above = ${nowhere}");
        Assert.Null(ex.Field);
        Assert.StartsWith("not valid HOCON: ", ex.Reason, StringComparison.Ordinal);
        Assert.True(ex.Reason.Length > "not valid HOCON: ".Length, "the reader's own words follow");
    }

    [Fact]
    public void Braces_and_quotes_inside_strings_and_comments_do_not_count()
    {
        var rules = Parse("""
            // a note { with a brace
            version = v1 # and } here
            models {
              "Odd \"{Brand}\" [X]" { overspeed.speed-above = 100 }
            }
            """);
        Assert.Equal(100, Assert.Single(rules.Models).Value.OverspeedAbove);
        Assert.Equal("Odd \"{Brand}\" [X]", rules.Models.Single().Key);
    }

    [Theory]
    [InlineData("rules.overspeed.speed-above = fast", "rules.overspeed.speed-above", "must be a number, not \"fast\"")]
    [InlineData("rules.overspeed.speed-above = NaN", "rules.overspeed.speed-above", "must be a number, not \"NaN\"")]
    [InlineData("rules.overspeed.speed-above = Infinity", "rules.overspeed.speed-above", "must be a number, not \"Infinity\"")]
    [InlineData("rules.overspeed.enabled = 1", "rules.overspeed.enabled", "must be true or false, not 1")]
    [InlineData("rules.harsh-braking.within = 3", "rules.harsh-braking.within", "must be a duration with a unit, e.g. \"3s\" or \"500ms\", not 3")]
    [InlineData("rules.engine-stress.rpm-above = 5000.5", "rules.engine-stress.rpm-above", "must be a whole number, not 5000.5")]
    [InlineData("rules.wrong-gear.max-gear = [1, 2]", "rules.wrong-gear.max-gear", "must be a whole number, not an array")]
    [InlineData("models { \"Mazda 3\" { overspeed.speed-above = -5 } }", "models.\"Mazda 3\".overspeed.speed-above", "must be at least 0, not -5")]
    public void A_value_of_the_wrong_type_names_its_field(string line, string field, string reason)
    {
        var ex = Refused("version = v1\n" + line);
        Assert.Equal(field, ex.Field);
        Assert.Equal(reason, ex.Reason);
        Assert.Equal($"{File}: {field}: {reason}", ex.Message);
    }

    [Theory]
    [InlineData("rules.overspeeding.enabled = on", "rules.overspeeding", "unknown rule")]
    [InlineData("rules.overspeed.speed = 100", "rules.overspeed.speed", "unknown key")]
    [InlineData("limits = {}", "limits", "unknown field")]
    [InlineData("models { Mazda { overspeed.speed-above = 100 } }", "models.\"Mazda\"", "\"<brand> <model>\"")]
    public void Unknown_names_are_refused_as_in_json(string line, string field, string reason)
    {
        var ex = Refused("version = v1\n" + line);
        Assert.Equal(field, ex.Field);
        Assert.Contains(reason, ex.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment")]
    [InlineData("rules.overspeed.speed-above = 100")]
    public void A_document_without_a_version_is_refused(string hocon)
    {
        var ex = Refused(hocon);
        Assert.Equal("version", ex.Field);
        Assert.Contains("missing", ex.Reason);
    }

    [Fact]
    public void Default_is_reserved_in_hocon_too() =>
        Assert.Equal("version", Refused("version = default").Field);

    [Fact]
    public void A_later_hocon_value_replaces_an_earlier_one_as_hocon_defines()
    {
        var rules = Parse("version = v1\nrules.overspeed.speed-above = 100\nrules.overspeed.speed-above = 90");
        Assert.Equal(90, rules.Defaults.OverspeedAbove);
    }
}
