using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding.External;
using Akka.Event;

namespace TrafficActors.Placement;

/// <summary>
/// Records, in the cluster-wide external shard allocation (distributed data), that the car shards of the raw-data
/// partitions this node was just assigned belong here. The shard coordinator's external allocation strategy then
/// allocates new shards here and moves running ones at its next rebalance. A failed update (no majority reachable
/// during a membership change) is retried with back-off; a newer assignment replaces a pending one.
/// <para>
/// While a member is unreachable the update waits. A node that died leaves its partitions to the survivors
/// (Kafka's session timeout) before the cluster removes it; a placement recorded then would make the coordinator
/// move the dead node's shards, and a move waits for every region's acknowledgement, the dead one's included,
/// until sharding's hand-off timeout, holding every message for those shards. Once the dead node is removed its
/// shards are simply allocated afresh, where the placement then says.
/// </para>
/// </summary>
public sealed class CarShardPlacementActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IExternalShardAllocationClient _client;
    private readonly Cluster _cluster;
    private readonly Address _self;
    private readonly TimeSpan _retryInterval;
    private ImmutableDictionary<string, Address>? _pending;
    private bool _writing;

    public CarShardPlacementActor(string typeName, TimeSpan retryInterval)
    {
        _client = ExternalShardAllocation.Get(Context.System).ClientFor(typeName);
        _cluster = Cluster.Get(Context.System);
        _self = _cluster.SelfAddress;
        _retryInterval = retryInterval;
        Receive<PartitionsAssigned>(OnAssigned);
        Receive<PlacementWritten>(OnWritten);
        Receive<PlacementFailed>(OnFailed);
        Receive<RetryPlacement>(_ => WriteNext());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string typeName, TimeSpan retryInterval) =>
        Akka.Actor.Props.Create(() => new CarShardPlacementActor(typeName, retryInterval));

    private void OnAssigned(PartitionsAssigned msg)
    {
        if (msg.Partitions.Count == 0) return;
        _pending = msg.Partitions.ToImmutableDictionary(CarPlacement.ShardIdOfPartition, _ => _self);
        WriteNext();
    }

    private void WriteNext()
    {
        if (_writing || _pending is null) return;
        if (!_cluster.State.Unreachable.IsEmpty)
        {
            if (!Timers.IsTimerActive(nameof(RetryPlacement)))
            {
                _log.Info("Placing car shards [{0}] waits: a member is unreachable", string.Join(",", _pending.Keys));
                Timers.StartSingleTimer(nameof(RetryPlacement), RetryPlacement.Instance, _retryInterval);
            }

            return;
        }

        var locations = _pending;
        _pending = null;
        _writing = true;
        _client.UpdateShardLocations(locations).PipeTo(
            Self,
            success: _ => new PlacementWritten(locations),
            failure: ex => new PlacementFailed(locations, ex));
    }

    private void OnWritten(PlacementWritten msg)
    {
        _writing = false;
        _log.Info("Car shards [{0}] placed on this node (next to their raw-data partitions)", string.Join(",", msg.Locations.Keys.OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal)));
        WriteNext();
    }

    private void OnFailed(PlacementFailed msg)
    {
        _writing = false;
        _log.Warning("Placing car shards [{0}] failed ({1}); retrying in {2}", string.Join(",", msg.Locations.Keys), msg.Error.Message, _retryInterval);
        // A newer assignment wins over the failed one.
        _pending ??= msg.Locations;
        Timers.StartSingleTimer(nameof(RetryPlacement), RetryPlacement.Instance, _retryInterval);
    }

    private sealed record PlacementWritten(ImmutableDictionary<string, Address> Locations);

    private sealed record PlacementFailed(ImmutableDictionary<string, Address> Locations, Exception Error);

    private sealed class RetryPlacement
    {
        public static readonly RetryPlacement Instance = new();
    }
}
