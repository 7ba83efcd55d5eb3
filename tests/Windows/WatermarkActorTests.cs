using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit.Xunit2;
using TrafficActors.Settings;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

/// <summary>The node's watermark follows the ingest nodes' reports on the watermark topic, and waits for all partitions.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class WatermarkActorTests() : TestKit("""
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp.port = 0
    akka.loglevel = WARNING
    """)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static readonly WindowSettings Settings = new(
        TimeSpan.FromMinutes(1), 2, 10, TimeSpan.FromMilliseconds(50), TimeSpan.FromDays(1), 3,
        TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), 100, 2, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1),
        TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));

    [Fact]
    public void Reports_of_every_partition_set_the_node_watermark_to_their_lowest()
    {
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(10));
        var watermark = NodeWatermark.Get(Sys);
        var actor = Sys.ActorOf(WatermarkActor.Props(Settings, partitions: 3));
        var mediator = DistributedPubSub.Get(Sys).Mediator;

        // Only two of the three partitions reported (repeatedly, as ingest nodes do, for several of the actor's
        // ticks): no watermark.
        var a = new PartitionWatermarks("node-a", [new(0, T0.AddMinutes(5), false), new(1, T0.AddMinutes(3), false)]);
        for (var i = 0; i < 10; i++)
        {
            mediator.Tell(new Publish(WatermarkActor.Topic, a));
            ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        }

        Assert.Null(watermark.Current);

        var b = new PartitionWatermarks("node-b", [new(2, T0.AddMinutes(4), false)]);
        AwaitAssert(() =>
        {
            mediator.Tell(new Publish(WatermarkActor.Topic, a));
            mediator.Tell(new Publish(WatermarkActor.Topic, b));
            Assert.Equal(T0.AddMinutes(3), watermark.Current);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        // Partition 1 goes idle: the watermark moves to the lowest of the others and never back.
        var idle = a with { Partitions = [new(0, T0.AddMinutes(5), false), new(1, T0.AddMinutes(3), true)] };
        AwaitAssert(() =>
        {
            mediator.Tell(new Publish(WatermarkActor.Topic, idle));
            Assert.Equal(T0.AddMinutes(4), watermark.Current);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        mediator.Tell(new Publish(WatermarkActor.Topic, a));
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        Assert.Equal(T0.AddMinutes(4), watermark.Current);
    }
}
