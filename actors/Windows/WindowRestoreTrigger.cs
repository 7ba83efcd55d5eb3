using Akka.Actor;
using Akka.Cluster;
using TrafficActors.Persistence;
using TrafficActors.Settings;

namespace TrafficActors.Windows;

/// <summary>
/// Runs a <see cref="WindowRestorer"/> when this node is up and again whenever a member with the windows role
/// joins or is removed. A bucket on a node that crashed may have counted alerts whose publication never left the
/// node; nothing restarts it until its next alert, which a window that is no longer current never gets. Waking
/// every persisted bucket recovers them on the surviving nodes, and each republishes its figures.
/// </summary>
public sealed class WindowRestoreTrigger : ReceiveActor
{
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private IActorRef? _running;
    private bool _again;

    public WindowRestoreTrigger(IActorRef windowRegion, WindowSettings settings, JournalDatabase journal, TimeProvider time, string windowsRole)
    {
        // The members already up when this node subscribes need no restore each; this node's own Up does one.
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            if (state.Members.Any(m => m.Address == _cluster.SelfAddress && m.Status == MemberStatus.Up)) Restore();
        });
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.Address == _cluster.SelfAddress || up.Member.HasRole(windowsRole)) Restore();
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.HasRole(windowsRole)) Restore();
        });
        // Changes that come while a restore runs (a restarted node: its old self removed, its new self up) need
        // one more, after it, not one each.
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_running)) return;
            _running = null;
            if (_again) Restore();
        });

        void Restore()
        {
            if (_running is not null)
            {
                _again = true;
                return;
            }

            _again = false;
            _running = Context.Watch(Context.ActorOf(WindowRestorer.Props(windowRegion, settings, journal, time)));
        }
    }

    public static Props Props(IActorRef windowRegion, WindowSettings settings, JournalDatabase journal, TimeProvider time, string windowsRole) =>
        Akka.Actor.Props.Create(() => new WindowRestoreTrigger(windowRegion, settings, journal, time, windowsRole));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
