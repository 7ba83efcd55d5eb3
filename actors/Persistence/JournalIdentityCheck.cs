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

    /// <summary>
    /// Records this node's journal identity unless the cluster already has one, then reads the cluster's back from a
    /// majority. Throws <see cref="JournalMismatchException"/> when they differ.
    /// </summary>
    public static async Task VerifyAsync(ActorSystem system, JournalDatabase journal, TimeSpan timeout, CancellationToken ct = default)
    {
        var mine = (await journal.IdentityAsync(ct)).ToString("D");
        var replicator = DistributedData.Get(system).Replicator;
        var self = Cluster.Get(system).SelfUniqueAddress;
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
    }
}
