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

    public WindowRestoreTrigger(IActorRef windowRegion, WindowSettings settings, JournalDatabase journal, TimeProvider time, string windowsRole)
    {
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.Address == _cluster.SelfAddress || up.Member.HasRole(windowsRole)) Restore();
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.HasRole(windowsRole)) Restore();
        });
        Receive<Terminated>(_ => { });

        void Restore() => Context.Watch(Context.ActorOf(WindowRestorer.Props(windowRegion, settings, journal, time)));
    }

    public static Props Props(IActorRef windowRegion, WindowSettings settings, JournalDatabase journal, TimeProvider time, string windowsRole) =>
        Akka.Actor.Props.Create(() => new WindowRestoreTrigger(windowRegion, settings, journal, time, windowsRole));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
