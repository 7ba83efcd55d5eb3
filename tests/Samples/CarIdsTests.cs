using TrafficActors.Domain;
using Xunit;

namespace TrafficActors.Tests.Samples;

[Trait(Tier.Name, Tier.Fast)]
public sealed class CarIdsTests
{
    [Theory]
    [InlineData("1", 1L)]
    [InlineData("1000007", 1_000_007L)]
    [InlineData("9999999999", CarIds.Max)]
    public void Positive_integers_up_to_the_largest_id_are_car_ids(string text, long expected)
    {
        Assert.True(CarIds.TryParse(text, out var id, out var error), error);
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("10000000000")]
    [InlineData("12.0")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused_with_the_rule(string? text)
    {
        Assert.False(CarIds.TryParse(text, out var id, out var error));
        Assert.Equal(0, id);
        Assert.StartsWith("car id must be a positive integer up to 9999999999, got '", error);
    }

    [Fact]
    public void The_rule_in_words_names_the_largest_id() =>
        Assert.EndsWith(" " + CarIds.Max.ToString(System.Globalization.CultureInfo.InvariantCulture), CarIds.Rule);

    [Fact]
    public void A_long_refused_id_is_shortened_in_the_error()
    {
        Assert.False(CarIds.TryParse(new string('7', 200), out _, out var error));
        Assert.True(error.Length < 120, error);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(9_999_999_999d, true)]
    [InlineData(0, false)]
    [InlineData(1.5, false)]
    [InlineData(10_000_000_000d, false)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void Telemetry_ids_follow_the_same_rule(double value, bool valid) => Assert.Equal(valid, CarIds.IsValid(value));
}
