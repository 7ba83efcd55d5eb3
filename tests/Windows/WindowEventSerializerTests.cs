using Akka.Actor;
using Akka.TestKit.Xunit2;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

[Trait(Tier.Name, Tier.Fast)]
public sealed class WindowEventSerializerTests : TestKit
{
    [Fact]
    public void Every_persisted_type_round_trips()
    {
        var s = new WindowEventSerializer((ExtendedActorSystem)Sys);
        var created = new WindowCreated(new DateTimeOffset(2026, 11, 28, 10, 5, 0, TimeSpan.Zero), TimeSpan.FromMinutes(1));
        Assert.Equal(created, s.FromBinary(s.ToBinary(created), s.Manifest(created)));

        var counted = new AlertsCounted(
            [new CountedAlert(1, "Red", ["overspeed", "wrong_gear"], 130.5, 4, 3000), new CountedAlert(ulong.MaxValue, "unknown", [], 0, 1, 0)],
            [42, 43]);
        var back = (AlertsCounted)s.FromBinary(s.ToBinary(counted), s.Manifest(counted));
        Assert.Equivalent(counted, back, strict: true);

        var snap = new WindowSnapshot(
            new WindowStats(created.Start, created.Start + created.Length, 5, new() { ["Red"] = 5 }, new() { ["overspeed"] = 5 }, 130.5, 4, 3000, 2), [1, 2, 3], false);
        Assert.Equivalent(snap, s.FromBinary(s.ToBinary(snap), s.Manifest(snap)), strict: true);
    }

    [Fact]
    public void Unknown_versions_and_manifests_are_refused()
    {
        var s = new WindowEventSerializer((ExtendedActorSystem)Sys);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => s.FromBinary([99, 0, 0], "AC"));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => s.FromBinary([1], "??"));
    }

    [Fact]
    public void The_system_binds_window_events_to_it()
    {
        var config = TrafficActors.Settings.TrafficConfig.Load();
        using var sys = ActorSystem.Create("ser", config);
        var serializer = sys.Serialization.FindSerializerFor(new AlertsCounted([], []));
        Assert.IsType<WindowEventSerializer>(serializer);
    }
}
