using TrafficActors.Rules;
using Xunit;

namespace TrafficActors.Tests.Rules;

/// <summary>A rules version picks a car's engine by its model, ignoring case, and falls back to the defaults.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class RuleSetTests
{
    private static readonly RuleSettings Defaults = RuleSettings.SeedDefaults;
    private static readonly RuleSettings Mazda3 = Defaults with { OverspeedAbove = 100 };
    private static readonly RuleSettings LandRover = Defaults with { OverspeedAbove = 90 };

    private readonly RuleSet _rules = new("v1", Defaults, new Dictionary<string, RuleSettings>(StringComparer.OrdinalIgnoreCase)
    {
        ["Mazda 3"] = Mazda3,
        ["Land Rover Defender"] = LandRover,
    });

    [Theory]
    [InlineData("Mazda", "3")]
    [InlineData("mazda", "3")]
    [InlineData("MAZDA", "3")]
    public void An_override_is_found_whatever_the_case(string brand, string model) =>
        Assert.Same(Mazda3, _rules.For(brand, model).Settings);

    [Fact]
    public void A_brand_with_a_space_in_its_name_is_found() =>
        Assert.Same(LandRover, _rules.For("land rover", "DEFENDER").Settings);

    [Theory]
    [InlineData("Mazda", "6")]
    [InlineData("Mazda", "33")]
    [InlineData("Mazd", "a 3")]
    [InlineData("Mazda 3", "")]
    [InlineData("", "Mazda 3")]
    [InlineData("Kia", "Rio")]
    [InlineData("Mazda", "3 ")]
    [InlineData(null, "3")]
    [InlineData("Mazda", null)]
    [InlineData(null, null)]
    public void Other_unknown_or_missing_models_get_the_defaults(string? brand, string? model)
    {
        var engine = _rules.For(brand, model);
        Assert.Same(_rules.Default, engine);
        Assert.Same(Defaults, engine.Settings);
    }

    [Fact]
    public void Each_model_keeps_one_engine_so_a_cars_lookups_agree()
    {
        Assert.Same(_rules.For("Mazda", "3"), _rules.For("MAZDA", "3"));
        Assert.Same(_rules.Default, _rules.For("Kia", "Rio"));
    }

    [Fact]
    public void Without_overrides_every_car_gets_the_defaults()
    {
        var rules = RuleSet.FromDefaults(Defaults);
        Assert.Equal(RuleSet.DefaultVersion, rules.Version);
        Assert.Empty(rules.Models);
        Assert.Same(rules.Default, rules.For("Mazda", "3"));
        Assert.Same(Defaults, rules.Defaults);
    }
}
