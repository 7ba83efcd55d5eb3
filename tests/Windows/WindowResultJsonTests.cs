using System.Text.Json;
using TrafficActors.Web.Api;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

[Trait(Tier.Name, Tier.Fast)]
public sealed class WindowResultJsonTests
{
    private static readonly WindowStats Stats = new(
        new DateTimeOffset(2026, 11, 28, 10, 5, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 10, 6, 0, TimeSpan.Zero), 7,
        new() { ["Red"] = 4, ["unknown"] = 3 }, new() { ["overspeed"] = 6, ["wrong_gear"] = 2 }, 181.5, 6, 7200, 2, true);

    [Fact]
    public void A_window_record_has_the_fields_and_values_of_the_api()
    {
        using var record = JsonDocument.Parse(WindowResultJson.Write(Stats));
        using var api = JsonDocument.Parse(JsonSerializer.Serialize(new[] { WindowResponse.From(Stats) }, ApiJson.Default.WindowResponseArray));
        var expected = api.RootElement[0];
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), record.RootElement.EnumerateObject().Select(p => p.Name).Order());
        foreach (var p in expected.EnumerateObject())
            Assert.True(JsonElement.DeepEquals(p.Value, record.RootElement.GetProperty(p.Name)) || p.Value.ToString() == record.RootElement.GetProperty(p.Name).ToString(), p.Name);
    }

    [Fact]
    public void The_key_is_the_window_start_in_utc()
    {
        Assert.Equal("2026-11-28T10:05:00Z", WindowResultJson.Key(new DateTimeOffset(2026, 11, 28, 12, 5, 0, TimeSpan.FromHours(2))));
    }
}
