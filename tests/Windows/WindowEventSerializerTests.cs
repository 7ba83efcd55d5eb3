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

        var closed = new WindowClosed(created.Start.AddMinutes(3), new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(closed, s.FromBinary(s.ToBinary(closed), s.Manifest(closed)));
        var published = new WindowPublished(created.Start);
        Assert.Equal(published, s.FromBinary(s.ToBinary(published), s.Manifest(published)));
        var publishing = new WindowPublishing(created.Start);
        Assert.Equal(publishing, s.FromBinary(s.ToBinary(publishing), s.Manifest(publishing)));
        var closedSnap = snap with { Stats = snap.Stats with { Closed = true }, Closed = closed };
        Assert.Equivalent(closedSnap, s.FromBinary(s.ToBinary(closedSnap), s.Manifest(closedSnap)), strict: true);
    }

    [Fact]
    public void A_snapshot_of_the_first_format_still_loads_as_an_open_window()
    {
        var s = new WindowEventSerializer((ExtendedActorSystem)Sys);
        var start = new DateTimeOffset(2026, 11, 28, 10, 5, 0, TimeSpan.Zero);
        // Version 1 layout, as journals written before windows closed by event time hold it.
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write((byte)1);
            w.Write(start.UtcTicks);
            w.Write(TimeSpan.FromMinutes(1).Ticks);
            w.Write(3L);
            w.Write7BitEncodedInt(1);
            w.Write("Red");
            w.Write(3L);
            w.Write7BitEncodedInt(1);
            w.Write("overspeed");
            w.Write(3L);
            w.Write(130.5);
            w.Write(4);
            w.Write(3000);
            w.Write(1L);
            w.Write(false);
            w.Write7BitEncodedInt(2);
            w.Write(11UL);
            w.Write(12UL);
        }

        var snap = (WindowSnapshot)s.FromBinary(stream.ToArray(), "WS");
        Assert.Null(snap.Closed);
        Assert.False(snap.Stats.Closed);
        Assert.Equal(3, snap.Stats.Alerts);
        Assert.Equal(1, snap.Stats.Late);
        Assert.Equal([11UL, 12UL], snap.Seen);
    }

    [Fact]
    public void Unknown_versions_and_manifests_are_refused()
    {
        var s = new WindowEventSerializer((ExtendedActorSystem)Sys);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => s.FromBinary([99, 0, 0], "AC"));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => s.FromBinary([1], "??"));
        // Version 2 exists for snapshots only.
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => s.FromBinary([2, 0, 0], "WX"));
    }

    [Fact]
    public void Watermark_reports_cross_nodes_intact()
    {
        using var sys = ActorSystem.Create("ser", TrafficActors.Settings.TrafficConfig.Load());
        var report = new PartitionWatermarks("akka.tcp://traffic@10.0.0.5:4053", [new(0, new DateTimeOffset(2026, 11, 28, 10, 5, 0, TimeSpan.Zero), false), new(1, null, true)]);
        var serializer = sys.Serialization.FindSerializerFor(report);
        var back = (PartitionWatermarks)serializer.FromBinary(serializer.ToBinary(report), typeof(PartitionWatermarks));
        Assert.Equal(report.Node, back.Node);
        Assert.Equal(report.Partitions, back.Partitions);
    }

    [Fact]
    public void The_system_binds_window_events_to_it()
    {
        var config = TrafficActors.Settings.TrafficConfig.Load();
        using var sys = ActorSystem.Create("ser", config);
        var serializer = sys.Serialization.FindSerializerFor(new AlertsCounted([], []));
        Assert.IsType<WindowEventSerializer>(serializer);
        Assert.IsType<WindowEventSerializer>(sys.Serialization.FindSerializerFor(new WindowClosed(default, default)));
        Assert.IsType<WindowEventSerializer>(sys.Serialization.FindSerializerFor(new WindowPublished(default)));
        Assert.IsType<WindowEventSerializer>(sys.Serialization.FindSerializerFor(new WindowPublishing(default)));
    }
}
