using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;

namespace TrafficActors.Web.Dashboard;

/// <summary>
/// Runs on every node: publishes the node's own events/s so the dashboard's cluster panel (on web nodes) can show
/// the rate of members whose counters it cannot read.
/// </summary>
public sealed class NodeRatePublisher : ReceiveActor, IWithTimers
{
    /// <summary>Pub-sub topic of <see cref="NodeRate"/>.</summary>
    public const string Topic = "dashboard-nodes";

    private const string TimerKey = "rate";

    private readonly TimeSpan _interval;

    public NodeRatePublisher(PipelineMetricsSource metrics, TimeSpan interval)
    {
        _interval = interval;
        var self = Cluster.Get(Context.System).SelfAddress.ToString();
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        Receive<PublishRate>(_ => mediator.Tell(new Publish(Topic, new NodeRate(self, Math.Round(metrics.EventsPerSecond(), 1)))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PipelineMetricsSource metrics, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new NodeRatePublisher(metrics, interval));

    protected override void PreStart() => Timers.StartPeriodicTimer(TimerKey, PublishRate.Instance, _interval);
}
