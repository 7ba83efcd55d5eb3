using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit.Xunit2;
using TrafficActors.Settings;
using TrafficActors.Dashboard;
using TrafficActors.Management;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

public sealed class WindowAggregatorActorTests() : TestKit("akka.actor.provider = cluster\nakka.remote.dot-netty.tcp.port = 0\nakka.loglevel = WARNING")
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 5, 0, TimeSpan.Zero);
    private static readonly WindowSettings Settings = new(TimeSpan.FromMinutes(1), 2, 10, TimeSpan.FromMilliseconds(50), TimeSpan.FromDays(36500), 3);

    private void JoinSelf()
    {
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Acknowledges_deduplicates_and_publishes_a_coalesced_partial()
    {
        JoinSelf();
        var metrics = new PipelineMetrics();
        var subscriber = CreateTestProbe();
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(WindowAggregatorActor.DashboardTopic, subscriber.Ref), subscriber.Ref);
        subscriber.ExpectMsg<SubscribeAck>();

        var id = new WindowKey(Start, 0).EntityId;
        var agg = Sys.ActorOf(WindowAggregatorActor.Props(id, Settings, metrics));
        for (var i = 0; i < 5; i++)
        {
            var alert = WindowStateTests.Alert($"e{i}", "Red", 100 + i, 3, 3000, "overspeed") with { EventTime = Start.AddSeconds(i) };
            agg.Tell(new CountAlert(id, Start, Settings.Length, alert));
            Assert.False(ExpectMsg<AlertCounted>().Duplicate);
        }

        agg.Tell(new CountAlert(id, Start, Settings.Length, WindowStateTests.Alert("e1", "Red", 101, 3, 3000, "overspeed")));
        Assert.True(ExpectMsg<AlertCounted>().Duplicate);
        Assert.Equal(1, metrics.WindowDuplicates);

        var partial = subscriber.FishForMessage<WindowPartial>(p => p.Stats.Alerts == 5, TimeSpan.FromSeconds(5));
        Assert.Equal(id, partial.WindowId);
        Assert.Equal(3, partial.RecentAlerts.Count);
        Assert.Equal("e4", partial.RecentAlerts[0].EventId);
        Assert.Equal(104, partial.Stats.MaxSpeed);
    }

    [Fact]
    public void Dashboard_view_merges_buckets_newest_window_first()
    {
        JoinSelf();
        var metrics = new PipelineMetrics();
        var view = Sys.ActorOf(DashboardViewActor.Props(Settings, 100));
        var later = Start.AddMinutes(1);
        var aggs = new[] { new WindowKey(Start, 0), new WindowKey(Start, 1), new WindowKey(later, 0) }
            .Select(k => (Key: k, Ref: Sys.ActorOf(WindowAggregatorActor.Props(k.EntityId, Settings, metrics))))
            .ToArray();
        var n = 0;
        foreach (var (key, agg) in aggs)
        {
            agg.Tell(new CountAlert(key.EntityId, key.Start, Settings.Length, WindowStateTests.Alert($"x{n++}", "Blue", 130, 4, 3000, "overspeed")));
            ExpectMsg<AlertCounted>();
        }

        AwaitAssert(() =>
        {
            view.Tell(new GetWindows(10));
            var windows = ExpectMsg<WindowsView>().Windows;
            Assert.Equal(2, windows.Count);
            Assert.Equal(later, windows[0].WindowStart);
            Assert.Equal(1, windows[0].Alerts);
            Assert.Equal(Start, windows[1].WindowStart);
            Assert.Equal(2, windows[1].Alerts);
            Assert.Equal(2, windows[1].ByColor["Blue"]);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        view.Tell(new GetRecentAlerts(2));
        Assert.Equal(2, ExpectMsg<RecentAlertsView>().Alerts.Count);
    }
}
