using Akka.Actor;
using Akka.Persistence;
using TrafficActors.Windows;

namespace TrafficActors.Persistence;

/// <summary>
/// Makes every kind of call a window bucket makes to the journal and the snapshot store once, on a probe id of this
/// node, before buckets need them: recover, write, save a snapshot, delete events behind it, recover from the
/// snapshot, delete everything. The journal plugin builds and compiles each kind of query on its first use, and a
/// busy node's first snapshot and first cleanup each stalled the pipeline for about 100 ms while it did
/// (docs/decisions/journal-warm-up.md). What the probe writes it deletes; its highest sequence number stays, as
/// the journal keeps it for every id.
/// </summary>
public static class JournalWarmup
{
    /// <summary>Prefix of the probe's persistence id; the rest names the node, so nodes sharing a database never share an id.</summary>
    public const string PersistencePrefix = "journal-warmup-";

    /// <summary>Runs the probe twice (the second time it recovers from the first one's snapshot); fails with the journal's error.</summary>
    public static async Task RunAsync(ActorSystem system, string nodeName, TimeSpan timeout, CancellationToken ct = default)
    {
        var id = PersistencePrefix + nodeName;
        foreach (var final in new[] { false, true })
        {
            var probe = system.ActorOf(Props.Create(() => new Probe(id, final)));
            var answer = await probe.Ask<object>(Go.Instance, timeout, ct).ConfigureAwait(false);
            if (answer is Status.Failure f) throw f.Cause;
        }
    }

    private sealed class Go
    {
        public static readonly Go Instance = new();
    }

    /// <summary>One incarnation of the probe: the first writes and snapshots, the final one recovers that and deletes it all.</summary>
    private sealed class Probe : ReceivePersistentActor
    {
        private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;
        private static readonly TimeSpan Length = TimeSpan.FromMinutes(1);
        private readonly string _id;
        private IActorRef _replyTo = ActorRefs.Nobody;

        public Probe(string id, bool final)
        {
            _id = id;
            Recover<SnapshotOffer>(_ => { });
            Recover<object>(_ => { });
            Command<Go>(_ =>
            {
                _replyTo = Sender;
                if (final)
                {
                    DeleteMessages(long.MaxValue);
                    return;
                }

                PersistAsync(new WindowCreated(Start, Length), _ => { });
                PersistAsync(new AlertsCounted([], []), _ => SaveSnapshot(new WindowState(Start, Length).ToSnapshot()));
            });
            Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
            Command<DeleteMessagesSuccess>(_ =>
            {
                if (final) DeleteSnapshots(SnapshotSelectionCriteria.Latest);
                else Done(Akka.Done.Instance);
            });
            Command<DeleteSnapshotsSuccess>(_ => Done(Akka.Done.Instance));
            Command<SaveSnapshotFailure>(f => Done(new Status.Failure(f.Cause)));
            Command<DeleteMessagesFailure>(f => Done(new Status.Failure(f.Cause)));
            Command<DeleteSnapshotsFailure>(f => Done(new Status.Failure(f.Cause)));
        }

        public override string PersistenceId => _id;

        private void Done(object answer)
        {
            _replyTo.Tell(answer);
            Context.Stop(Self);
        }

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            _replyTo.Tell(new Status.Failure(cause));
            base.OnPersistFailure(cause, @event, sequenceNr);
        }
    }
}
