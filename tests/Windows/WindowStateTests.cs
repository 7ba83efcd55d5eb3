using TrafficActors.Domain;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

[Trait(Tier.Name, Tier.Fast)]
public sealed class WindowStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 5, 0, TimeSpan.Zero);

    internal static Alert Alert(string id, string? color, double speed, int gear, int rpm, params string[] rules) =>
        new(new EnrichedSample(id, Start.AddSeconds(5), 1000007, speed, rpm, gear, null, 1, "Kia", "Rio", color, 3), rules);

    private static WindowDecision Offer(WindowState w, Alert a, bool closed = false)
    {
        var hash = WindowState.HashId(a.Sample.EventId);
        var d = w.Decide(hash, closed);
        if (d == WindowDecision.Count) w.Apply(new AlertsCounted([WindowState.ToCounted(a, hash)], []));
        if (d == WindowDecision.Late) w.Apply(new AlertsCounted([], [hash]));
        return d;
    }

    [Fact]
    public void Counts_alerts_colors_rules_and_maxima()
    {
        var w = new WindowState(Start, TimeSpan.FromMinutes(1));
        Assert.Equal(WindowDecision.Count, Offer(w, Alert("a", "Red", 130, 4, 3000, "overspeed")));
        Assert.Equal(WindowDecision.Count, Offer(w, Alert("b", "Red", 90, 6, 6500, "engine_stress", "wrong_gear")));
        Assert.Equal(WindowDecision.Count, Offer(w, Alert("c", null, 20, 1, 7000, "engine_stress")));
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
        Assert.Equal(0, s.Late);
    }

    [Fact]
    public void A_redelivered_event_is_counted_once_even_before_its_first_copy_is_applied()
    {
        var w = new WindowState(Start, TimeSpan.FromMinutes(1));
        var hash = WindowState.HashId("a");
        Assert.Equal(WindowDecision.Count, w.Decide(hash, closed: false));
        Assert.Equal(WindowDecision.Duplicate, w.Decide(hash, closed: false)); // first copy still being written
        w.Apply(new AlertsCounted([WindowState.ToCounted(Alert("a", "Red", 130, 4, 3000, "overspeed"), hash)], []));
        Assert.Equal(WindowDecision.Duplicate, Offer(w, Alert("a", "Red", 130, 4, 3000, "overspeed")));
        Assert.Equal(1, w.ToStats().Alerts);
        Assert.Equal(1, w.ToStats().ByRule["overspeed"]);
    }

    [Fact]
    public void Closed_window_is_final_and_counts_late_arrivals_once()
    {
        var w = new WindowState(Start, TimeSpan.FromMinutes(1));
        Offer(w, Alert("a", "Red", 130, 4, 3000, "overspeed"));
        Assert.Equal(WindowDecision.Late, Offer(w, Alert("b", "Blue", 190, 7, 7000, "overspeed"), closed: true));
        Assert.Equal(WindowDecision.Late, Offer(w, Alert("c", "Blue", 190, 7, 7000, "overspeed"), closed: true));
        Assert.Equal(WindowDecision.Duplicate, Offer(w, Alert("b", "Blue", 190, 7, 7000, "overspeed"), closed: true));
        Assert.Equal(WindowDecision.Duplicate, Offer(w, Alert("a", "Red", 130, 4, 3000, "overspeed"), closed: true));
        var s = w.ToStats();
        Assert.Equal(1, s.Alerts);
        Assert.Equal(130, s.MaxSpeed);
        Assert.Equal(2, s.Late);
        Assert.False(s.ByColor.ContainsKey("Blue"));

        w.DropIds();
        Assert.Equal(WindowDecision.Late, Offer(w, Alert("b", "Blue", 190, 7, 7000, "overspeed"), closed: true));
        Assert.Equal(3, w.ToStats().Late);
    }

    [Fact]
    public void A_window_closes_only_once_the_watermark_passes_its_end_plus_the_lateness()
    {
        var lateness = TimeSpan.FromSeconds(30);
        var w = new WindowState(Start, TimeSpan.FromMinutes(1));
        Assert.False(w.ShouldClose(null, lateness));
        Assert.False(w.ShouldClose(w.End + lateness - TimeSpan.FromTicks(1), lateness));
        Assert.True(w.ShouldClose(w.End + lateness, lateness));

        var closed = new WindowClosed(w.End + lateness, Start.AddDays(1));
        w.Apply(closed);
        Assert.True(w.IsClosed);
        Assert.True(w.ToStats().Closed);
        // Closed once: a later watermark does not close it again, nor does a replayed second event.
        Assert.False(w.ShouldClose(w.End + lateness + lateness, lateness));
        w.Apply(closed with { ClosedAt = Start.AddDays(2) });
        Assert.Equal(closed, w.Closed);

        var restored = WindowState.FromSnapshot(w.ToSnapshot());
        Assert.Equal(closed, restored.Closed);
        Assert.True(restored.ToStats().Closed);
    }

    [Fact]
    public void Merged_figures_are_closed_only_when_every_bucket_is()
    {
        var a = new WindowState(Start, TimeSpan.FromMinutes(1));
        var b = new WindowState(Start, TimeSpan.FromMinutes(1));
        a.Apply(new WindowClosed(Start.AddMinutes(5), Start.AddMinutes(5)));
        Assert.False(a.ToStats().Merge(b.ToStats()).Closed);
        b.Apply(new WindowClosed(Start.AddMinutes(5), Start.AddMinutes(5)));
        Assert.True(a.ToStats().Merge(b.ToStats()).Closed);
    }

    [Fact]
    public void Snapshot_round_trips_figures_and_ids()
    {
        var w = new WindowState(Start, TimeSpan.FromMinutes(1));
        Offer(w, Alert("a", "Red", 130, 4, 3000, "overspeed"));
        Offer(w, Alert("b", null, 20, 1, 7000, "engine_stress"), closed: true);
        var restored = WindowState.FromSnapshot(w.ToSnapshot());
        Assert.Equivalent(w.ToStats(), restored.ToStats());
        Assert.Equal(WindowDecision.Duplicate, restored.Decide(WindowState.HashId("a"), closed: false));
        Assert.Equal(WindowDecision.Duplicate, restored.Decide(WindowState.HashId("b"), closed: true));
    }

    [Fact]
    public void Buckets_merge_into_one_window()
    {
        var a = new WindowState(Start, TimeSpan.FromMinutes(1));
        var b = new WindowState(Start, TimeSpan.FromMinutes(1));
        Offer(a, Alert("a", "Red", 130, 4, 3000, "overspeed"));
        Offer(b, Alert("b", "Blue", 150, 5, 6100, "overspeed", "engine_stress"));
        Offer(b, Alert("c", "Blue", 150, 5, 6100, "overspeed"), closed: true);
        var m = a.ToStats().Merge(b.ToStats());
        Assert.Equal(2, m.Alerts);
        Assert.Equal(2, m.ByRule["overspeed"]);
        Assert.Equal(1, m.ByColor["Blue"]);
        Assert.Equal(150, m.MaxSpeed);
        Assert.Equal(6100, m.MaxRpm);
        Assert.Equal(1, m.Late);
    }

    [Fact]
    public void Window_key_aligns_to_the_window_and_spreads_cars_over_buckets()
    {
        var k = WindowKey.For(new DateTimeOffset(2026, 11, 28, 10, 5, 59, 999, TimeSpan.Zero), 1000007, TimeSpan.FromMinutes(1), 4);
        Assert.Equal(Start, k.Start);
        Assert.Equal(1000007 % 4, k.Bucket);
        Assert.Equal("2026-11-28T10:05:00Z#3", k.EntityId);
        Assert.Equal(Start.AddMinutes(1), WindowKey.For(Start.AddMinutes(1), 1, TimeSpan.FromMinutes(1), 4).Start);
        Assert.Equal(Start, WindowRestorer.StartOf(k.EntityId));
        Assert.Null(WindowRestorer.StartOf("not-a-window"));
    }
}
