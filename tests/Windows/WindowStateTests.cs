using TrafficActors.Domain;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

public sealed class WindowStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 5, 0, TimeSpan.Zero);

    internal static Alert Alert(string id, string? color, double speed, int gear, int rpm, params string[] rules) =>
        new(id, Start.AddSeconds(5), 1000007, speed, rpm, gear, null, 1, "Kia", "Rio", color, 3, rules);

    [Fact]
    public void Counts_alerts_colors_rules_and_maxima()
    {
        var w = new WindowState(Start, TimeSpan.FromMinutes(1));
        Assert.True(w.Apply(Alert("a", "Red", 130, 4, 3000, "overspeed")));
        Assert.True(w.Apply(Alert("b", "Red", 90, 6, 6500, "engine_stress", "wrong_gear")));
        Assert.True(w.Apply(Alert("c", null, 20, 1, 7000, "engine_stress")));
        var s = w.ToStats();
        Assert.Equal(3, s.Alerts);
        Assert.Equal(2, s.ByColor["Red"]);
        Assert.Equal(1, s.ByColor[WindowState.UnknownColor]);
        Assert.Equal(2, s.ByRule["engine_stress"]);
        Assert.Equal(1, s.ByRule["overspeed"]);
        Assert.Equal(1, s.ByRule["wrong_gear"]);
        Assert.Equal(130, s.MaxSpeed);
        Assert.Equal(6, s.MaxGear);
        Assert.Equal(7000, s.MaxRpm);
        Assert.Equal(Start.AddMinutes(1), s.WindowEnd);
    }

    [Fact]
    public void A_redelivered_event_is_counted_once()
    {
        var w = new WindowState(Start, TimeSpan.FromMinutes(1));
        Assert.True(w.Apply(Alert("a", "Red", 130, 4, 3000, "overspeed")));
        Assert.False(w.Apply(Alert("a", "Red", 130, 4, 3000, "overspeed")));
        Assert.Equal(1, w.ToStats().Alerts);
        Assert.Equal(1, w.ToStats().ByRule["overspeed"]);
    }

    [Fact]
    public void Buckets_merge_into_one_window()
    {
        var a = new WindowState(Start, TimeSpan.FromMinutes(1));
        var b = new WindowState(Start, TimeSpan.FromMinutes(1));
        a.Apply(Alert("a", "Red", 130, 4, 3000, "overspeed"));
        b.Apply(Alert("b", "Blue", 150, 5, 6100, "overspeed", "engine_stress"));
        var m = a.ToStats().Merge(b.ToStats());
        Assert.Equal(2, m.Alerts);
        Assert.Equal(2, m.ByRule["overspeed"]);
        Assert.Equal(1, m.ByColor["Blue"]);
        Assert.Equal(150, m.MaxSpeed);
        Assert.Equal(6100, m.MaxRpm);
    }

    [Fact]
    public void Window_key_aligns_to_the_window_and_spreads_cars_over_buckets()
    {
        var k = WindowKey.For(new DateTimeOffset(2026, 11, 28, 10, 5, 59, 999, TimeSpan.Zero), 1000007, TimeSpan.FromMinutes(1), 4);
        Assert.Equal(Start, k.Start);
        Assert.Equal(1000007 % 4, k.Bucket);
        Assert.Equal("2026-11-28T10:05:00Z#3", k.EntityId);
        Assert.Equal(Start.AddMinutes(1), WindowKey.For(Start.AddMinutes(1), 1, TimeSpan.FromMinutes(1), 4).Start);
    }
}
