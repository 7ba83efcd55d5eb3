using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Time.Testing;
using TrafficActors.Views;
using TrafficActors.Metrics;
using TrafficActors.Settings;
using TrafficActors.Windows;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Windows;

[Trait(Tier.Name, Tier.Fast)]
public sealed class WindowAggregatorActorTests() : TestKit("""
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp.port = 0
    akka.loglevel = WARNING
    akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
    akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
    """)
{
    private static readonly DateTimeOffset WallClock = DateTimeOffset.UtcNow;
    private static readonly DateTimeOffset Open = WindowKey.StartOf(WallClock, TimeSpan.FromMinutes(1));
    private static readonly DateTimeOffset LongClosed = Open.AddHours(-1);
    private static readonly WindowSettings Settings = new(
        TimeSpan.FromMinutes(1), 2, 10, TimeSpan.FromMilliseconds(50), TimeSpan.FromDays(36500), 3,
        TimeSpan.FromMinutes(2), TimeSpan.FromDays(3650), 100, 2, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1),
        TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));

    private readonly PipelineMetrics _metrics = new();

    private void JoinSelf()
    {
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(10));
    }

    private static CountAlert Count(DateTimeOffset start, int bucket, string id, double speed, int second = 5) =>
        new(new WindowKey(start, bucket).EntityId, start, TimeSpan.FromMinutes(1),
            WindowStateTests.Alert(id, "Red", speed, 3, 3000, "overspeed").At(start.AddSeconds(second)));

    [Fact]
    public void Acknowledges_deduplicates_and_publishes_a_coalesced_partial()
    {
        JoinSelf();
        var subscriber = CreateTestProbe();
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(WindowAggregatorActor.DashboardTopic, subscriber.Ref), subscriber.Ref);
        subscriber.ExpectMsg<SubscribeAck>();

        var id = new WindowKey(Open, 0).EntityId;
        var agg = Sys.ActorOf(WindowAggregatorActor.Props(id, Settings, _metrics));
        for (var i = 0; i < 5; i++) agg.Tell(Count(Open, 0, $"e{i}", 100 + i, i));
        for (var i = 0; i < 5; i++) Assert.Equal(WindowDecision.Count, ExpectMsg<AlertCounted>().Decision);

        agg.Tell(Count(Open, 0, "e1", 101));
        Assert.Equal(WindowDecision.Duplicate, ExpectMsg<AlertCounted>().Decision);
        Assert.Equal(1, _metrics.WindowDuplicates);

        var partial = subscriber.FishForMessage<WindowPartial>(p => p.Stats.Alerts == 5, TimeSpan.FromSeconds(5));
        Assert.Equal(id, partial.WindowId);
        Assert.Equal(3, partial.RecentAlerts.Count);
        Assert.Equal("e4", partial.RecentAlerts[0].Sample.EventId);
        Assert.Equal(104, partial.Stats.MaxSpeed);
    }

    [Fact]
    public void A_closed_window_counts_late_alerts_without_changing_its_figures()
    {
        JoinSelf();
        // Every partition has passed the current minute: the hour-old window is closed.
        NodeWatermark.Get(Sys).Advance(Open);
        var id = new WindowKey(LongClosed, 1).EntityId;
        var agg = Sys.ActorOf(WindowAggregatorActor.Props(id, Settings, _metrics));
        agg.Tell(Count(LongClosed, 1, "late-1", 150));
        Assert.Equal(WindowDecision.Late, ExpectMsg<AlertCounted>().Decision);
        agg.Tell(Count(LongClosed, 1, "late-1", 150));
        Assert.Equal(WindowDecision.Duplicate, ExpectMsg<AlertCounted>().Decision);
        Assert.Equal(1, _metrics.LateAlerts);

        var view = Sys.ActorOf(DashboardViewActor.Props(Settings, 10));
        AwaitAssert(() =>
        {
            view.Tell(new GetWindows(10));
            var w = Assert.Single(ExpectMsg<WindowsView>().Windows);
            Assert.Equal(0, w.Alerts);
            Assert.Equal(1, w.Late);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_old_window_stays_open_until_the_watermark_passes_it_and_the_close_survives_a_restart()
    {
        JoinSelf();
        // Replayed data: an hour old by the wall clock, but no watermark has passed it yet.
        var id = new WindowKey(LongClosed, 0).EntityId + "-replay";
        var agg = Sys.ActorOf(WindowAggregatorActor.Props(id, Settings, _metrics));
        agg.Tell(Count(LongClosed, 0, "old-1", 120));
        Assert.Equal(WindowDecision.Count, ExpectMsg<AlertCounted>().Decision);

        // The watermark reaches the end but not the allowed lateness: still open.
        NodeWatermark.Get(Sys).Advance(LongClosed + Settings.Length);
        agg.Tell(Count(LongClosed, 0, "old-2", 121));
        Assert.Equal(WindowDecision.Count, ExpectMsg<AlertCounted>().Decision);

        NodeWatermark.Get(Sys).Advance(LongClosed + Settings.Length + Settings.AllowedLateness);
        agg.Tell(Count(LongClosed, 0, "old-3", 122));
        Assert.Equal(WindowDecision.Late, ExpectMsg<AlertCounted>().Decision);

        Watch(agg);
        Sys.Stop(agg);
        ExpectTerminated(agg);
        // Recovered from its journal: closed, with the same figures, however the watermark stands here.
        var again = Sys.ActorOf(WindowAggregatorActor.Props(id, Settings, _metrics));
        again.Tell(Count(LongClosed, 0, "old-4", 123));
        Assert.Equal(WindowDecision.Late, ExpectMsg<AlertCounted>().Decision);
        var view = Sys.ActorOf(DashboardViewActor.Props(Settings, 10));
        AwaitAssert(() =>
        {
            view.Tell(new GetWindows(10));
            var w = Assert.Single(ExpectMsg<WindowsView>().Windows);
            Assert.Equal(2, w.Alerts);
            Assert.Equal(2, w.Late);
            Assert.Equal(121, w.MaxSpeed);
            Assert.True(w.Closed);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void State_survives_a_crash_of_the_aggregator_and_redeliveries_stay_duplicates()
    {
        JoinSelf();
        var id = new WindowKey(Open, 1).EntityId;
        var agg = Sys.ActorOf(WindowAggregatorActor.Props(id, Settings, _metrics));
        for (var i = 0; i < 7; i++) agg.Tell(Count(Open, 1, $"r{i}", 121 + i));
        ReceiveN(7);
        Watch(agg);
        Sys.Stop(agg);
        ExpectTerminated(agg);

        // Recovery replays snapshot (every 2 batches here) plus the journal after it.
        var again = Sys.ActorOf(WindowAggregatorActor.Props(id, Settings, _metrics));
        again.Tell(Count(Open, 1, "r3", 124));
        Assert.Equal(WindowDecision.Duplicate, ExpectMsg<AlertCounted>().Decision);
        again.Tell(Count(Open, 1, "r7", 128));
        Assert.Equal(WindowDecision.Count, ExpectMsg<AlertCounted>().Decision);

        var view = Sys.ActorOf(DashboardViewActor.Props(Settings, 10));
        AwaitAssert(() =>
        {
            view.Tell(new GetWindows(10));
            var w = Assert.Single(ExpectMsg<WindowsView>().Windows);
            Assert.Equal(8, w.Alerts);
            Assert.Equal(128, w.MaxSpeed);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_dashboard_that_missed_an_update_catches_up_from_the_republished_figures()
    {
        JoinSelf();
        var id = new WindowKey(Open, 0).EntityId + "-missed";
        var clock = new FakeTimeProvider(WallClock);
        var early = CreateTestProbe();
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(WindowAggregatorActor.DashboardTopic, early.Ref), early.Ref);
        early.ExpectMsg<SubscribeAck>();
        var agg = Sys.ActorOf(WindowAggregatorActor.Props(id, Settings, _metrics, clock));
        for (var i = 0; i < 3; i++) agg.Tell(Count(Open, 0, $"m{i}", 140 + i, i));
        ReceiveN(3);

        // The change was published before this reader subscribed, so that publication missed it; once the
        // republish interval passes on the bucket's clock it still gets the figures, with no further alert.
        early.FishForMessage<WindowPartial>(p => p.WindowId == id && p.Stats.Alerts == 3, TimeSpan.FromSeconds(5));
        var subscriber = CreateTestProbe();
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(WindowAggregatorActor.DashboardTopic, subscriber.Ref), subscriber.Ref);
        subscriber.ExpectMsg<SubscribeAck>();
        clock.Advance(Settings.RepublishInterval);
        var partial = subscriber.FishForMessage<WindowPartial>(p => p.WindowId == id, TimeSpan.FromSeconds(5));
        Assert.Equal(3, partial.Stats.Alerts);
        Assert.Equal(142, partial.Stats.MaxSpeed);
    }

    [Fact]
    public void Dashboard_view_keeps_the_newer_partial_when_partials_arrive_out_of_order()
    {
        var view = Sys.ActorOf(DashboardViewActor.Props(Settings, 10));
        var id = new WindowKey(Open, 2).EntityId;
        WindowPartial Partial(long alerts) => new(id, new WindowStats(Open, Open.AddMinutes(1), alerts,
            new() { ["Red"] = alerts }, new() { ["overspeed"] = alerts }, 120, 4, 3000), []);

        // The bucket moved between nodes: its new home's figure arrives before the old home's last one.
        view.Tell(Partial(7));
        view.Tell(Partial(5));
        view.Tell(new GetWindows(10));
        Assert.Equal(7, Assert.Single(ExpectMsg<WindowsView>().Windows).Alerts);

        view.Tell(Partial(9));
        view.Tell(new GetWindows(10));
        Assert.Equal(9, Assert.Single(ExpectMsg<WindowsView>().Windows).Alerts);
    }

    [Fact]
    public void A_window_past_retention_is_deleted_and_leaves_the_read_model()
    {
        JoinSelf();
        // Shorter than the allowed lateness: the bucket expires while it would still count alerts.
        var retention = TimeSpan.FromMinutes(1);
        var short_ = Settings with { Retention = retention };
        var clock = new FakeTimeProvider(WallClock);
        var start = WallClock - TimeSpan.FromMinutes(1);
        var id = new WindowKey(start, 0).EntityId + "-retention";
        var view = Sys.ActorOf(DashboardViewActor.Props(Settings, 10));
        var agg = Sys.ActorOf(WindowAggregatorActor.Props(id, short_, _metrics, clock));
        Watch(agg);
        agg.Tell(new CountAlert(id, start, TimeSpan.FromMinutes(1), WindowStateTests.Alert("old", "Red", 130, 4, 3000, "overspeed")));
        Assert.Equal(WindowDecision.Count, ExpectMsg<AlertCounted>().Decision);
        AwaitAssert(() =>
        {
            view.Tell(new GetWindows(10));
            Assert.Single(ExpectMsg<WindowsView>().Windows);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));

        // Retention passes on the bucket's clock (a wake makes it look now rather than when its timer fires): it
        // deletes its journal, tells readers, and asks to be passivated.
        clock.Advance(retention);
        agg.Tell(new WakeWindow(id));
        AwaitAssert(() =>
        {
            view.Tell(new GetWindows(10));
            Assert.Empty(ExpectMsg<WindowsView>().Windows);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Sys.Stop(agg);
        ExpectTerminated(agg);

        var again = Sys.ActorOf(WindowAggregatorActor.Props(id, short_, _metrics, clock));
        again.Tell(new WakeWindow(id));
        view.Tell(new GetWindows(10));
        Assert.Empty(ExpectMsg<WindowsView>().Windows);
        again.Tell(new CountAlert(id, start, TimeSpan.FromMinutes(1), WindowStateTests.Alert("old", "Red", 130, 4, 3000, "overspeed")));
        Assert.Equal(WindowDecision.Count, ExpectMsg<AlertCounted>().Decision); // nothing left to call it a duplicate
    }

    [Fact]
    public void Dashboard_view_merges_buckets_newest_first_and_rolls_up()
    {
        JoinSelf();
        var view = Sys.ActorOf(DashboardViewActor.Props(Settings, 100));
        var earlier = Open.AddMinutes(-1);
        var n = 0;
        foreach (var (start, bucket) in new[] { (earlier, 0), (earlier, 1), (Open, 0) })
        {
            var agg = Sys.ActorOf(WindowAggregatorActor.Props(new WindowKey(start, bucket).EntityId, Settings, _metrics));
            agg.Tell(Count(start, bucket, $"x{n++}", 130));
            ExpectMsg<AlertCounted>();
        }

        AwaitAssert(() =>
        {
            view.Tell(new GetWindows(10));
            var windows = ExpectMsg<WindowsView>().Windows;
            Assert.Equal(2, windows.Count);
            Assert.Equal(Open, windows[0].WindowStart);
            Assert.Equal(1, windows[0].Alerts);
            Assert.Equal(earlier, windows[1].WindowStart);
            Assert.Equal(2, windows[1].Alerts);
            Assert.Equal(2, windows[1].ByColor["Red"]);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        view.Tell(new GetWindows(10, TimeSpan.FromHours(24)));
        var day = Assert.Single(ExpectMsg<WindowsView>().Windows);
        Assert.Equal(3, day.Alerts);
        Assert.Equal(TimeSpan.FromHours(24), day.WindowEnd - day.WindowStart);

        view.Tell(new GetRecentAlerts(2));
        Assert.Equal(2, ExpectMsg<RecentAlertsView>().Alerts.Count);
    }
}
