using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;

namespace TrafficActors.Persistence;

/// <summary>
/// Makes sure every member with the windows role writes to the same journal database. The identity stored in the
/// database is compared with the one the cluster recorded in Distributed Data; the first member to record one wins
/// (reverse clock: the earliest write survives every merge). The record lives only as long as the cluster, so a
/// whole cluster restarted on the same database records the same identity again.
/// </summary>
public static class JournalIdentityCheck
{
    /// <summary>Distributed Data key of the cluster's journal identity.</summary>
    public static readonly LWWRegisterKey<string> Key = new("traffic-journal-identity");

    // How finely the wait for the replicator to know every member is sliced: fine enough to add little to a start.
    private const int PollsPerTimeout = 50;

    /// <summary>
    /// Records this node's journal identity unless the cluster already has one, then reads the cluster's back from a
    /// majority. Throws <see cref="JournalMismatchException"/> when they differ; returns the identity otherwise.
    /// </summary>
    public static async Task<string> VerifyAsync(ActorSystem system, JournalDatabase journal, TimeSpan timeout, CancellationToken ct = default)
    {
        var mine = (await journal.IdentityAsync(ct)).ToString("D");
        var replicator = DistributedData.Get(system).Replicator;
        var cluster = Cluster.Get(system);
        var self = cluster.SelfUniqueAddress;
        await WaitForReplicasAsync(cluster, replicator, timeout, ct);
        var initial = new LWWRegister<string>(self, mine, LWWRegister<string>.ReverseClock);
        // Keep what is already there: on a merge with the cluster's older record, that older record wins anyway.
        // A majority write can time out while a crashed member is not yet downed; the local record still counts
        // and is compared below with whatever the majority (or, failing that, this replica) holds.
        await replicator.Ask<IUpdateResponse>(Dsl.Update(Key, initial, new WriteMajority(timeout), r => r), timeout + timeout, ct);
        var read = await replicator.Ask<IGetResponse>(Dsl.Get(Key, new ReadMajority(timeout)), timeout + timeout, ct);
        if (!read.IsFound) read = await replicator.Ask<IGetResponse>(Dsl.Get(Key, Dsl.ReadLocal), timeout, ct);
        if (!read.IsFound) throw new TimeoutException($"could not read the cluster's journal identity within {timeout}");
        var recorded = read.Get(Key).Value;
        if (!string.Equals(recorded, mine, StringComparison.Ordinal)) throw new JournalMismatchException(mine, recorded);
        return mine;
    }

    /// <summary>
    /// A member that has just become Up may not have told its replicator about the others yet; a majority of the
    /// members it knows would then be itself alone, and it would read back its own record.
    /// </summary>
    private static async Task WaitForReplicasAsync(Cluster cluster, IActorRef replicator, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var members = cluster.State.Members.Count(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp);
            var replicas = (await replicator.Ask<ReplicaCount>(Dsl.GetReplicaCount, timeout, ct)).N;
            if (replicas >= members || DateTime.UtcNow >= deadline) return;
            await Task.Delay(timeout / PollsPerTimeout, ct);
        }
    }
}
