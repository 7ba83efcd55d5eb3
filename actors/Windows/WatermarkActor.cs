using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using TrafficActors.Settings;

namespace TrafficActors.Windows;

/// <summary>
/// One per node hosting window buckets: listens to every ingest node's <see cref="PartitionWatermarks"/> and keeps
/// the node's <see cref="NodeWatermark"/> at the watermark of the whole topic (<see cref="ClusterWatermark"/>), which
/// is what closes the node's buckets. Pub-sub may lose a report (a node that just joined); the next one, a
/// watermark interval later, replaces it, and a missing one only holds windows open.
/// </summary>
public sealed class WatermarkActor : ReceiveActor, IWithTimers
{
    /// <summary>DistributedPubSub topic the ingest nodes publish their partition reports on.</summary>
    public const string Topic = "watermarks";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ClusterWatermark _cluster;
    private readonly NodeWatermark _node;
    private readonly TimeSpan _interval;
    private bool _warned;

    public WatermarkActor(WindowSettings settings, int partitions, TimeProvider time)
    {
        _cluster = new ClusterWatermark(partitions, settings.IdleTimeout, time);
        _node = NodeWatermark.Get(Context.System);
        Receive<PartitionWatermarks>(r =>
        {
            _cluster.Report(r.Node, r.Partitions);
            if (!_warned && r.Partitions.Any(p => p.Partition >= partitions))
            {
                // Such a partition would not hold the watermark back: its windows could close early.
                _warned = true;
                _log.Warning("Node {0} consumes raw-data partition {1}, but traffic.kafka.partitions.raw is {2}: set it to the topic's partition count", r.Node, r.Partitions.Max(p => p.Partition), partitions);
            }
        });
        Receive<SubscribeAck>(_ => { });
        Receive<Tick>(_ =>
        {
            var before = _node.Current;
            if (_cluster.Update() is not { } w) return;
            _node.Advance(w);
            if (before is null) _log.Info("Watermark known: every raw-data partition reported; event-time windows close from {0:o}", w);
        });
        _interval = settings.WatermarkInterval;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(Topic, Self));
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, _interval);
    }

    /// <param name="partitions">Partitions of the raw-data topic; the watermark waits for a report of each.</param>
    public static Props Props(WindowSettings settings, int partitions, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        return Akka.Actor.Props.Create(() => new WatermarkActor(settings, partitions, clock));
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
