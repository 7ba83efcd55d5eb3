using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using TrafficActors.Settings;

namespace TrafficActors.Windows;

/// <summary>
/// After a (re)start, wakes every persisted window bucket still within retention, so each recovers from the
/// journal and republishes its figures; without it a window would only come back when its next alert arrives.
/// Runs once per node that serves the API, then stops.
/// </summary>
public sealed class WindowRestorer : ReceiveActor
{
    /// <summary>Config path of the SQL read journal.</summary>
    public const string ReadJournalId = "akka.persistence.query.journal.sql";

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public WindowRestorer(IActorRef windowRegion, WindowSettings settings)
    {
        Receive<Done>(d =>
        {
            _log.Info("Window restore: woke {0} persisted window buckets within retention", d.Count);
            Context.Stop(Self);
        });
        Receive<Status.Failure>(f =>
        {
            _log.Warning("Window restore failed: {0}", f.Cause.Message);
            Context.Stop(Self);
        });

        var horizon = DateTimeOffset.UtcNow - settings.Retention - settings.Length;
        var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(ReadJournalId);
        var woke = 0;
        journal.CurrentPersistenceIds()
            .RunForeach(
                id =>
                {
                    if (!id.StartsWith(WindowAggregatorActor.PersistencePrefix, StringComparison.Ordinal)) return;
                    var entityId = id[WindowAggregatorActor.PersistencePrefix.Length..];
                    if (StartOf(entityId) is not { } start || start < horizon) return;
                    windowRegion.Tell(new WakeWindow(entityId));
                    Interlocked.Increment(ref woke);
                },
                Context.System.Materializer())
            .PipeTo(Self, success: () => new Done(Volatile.Read(ref woke)));
    }

    public static Props Props(IActorRef windowRegion, WindowSettings settings) =>
        Akka.Actor.Props.Create(() => new WindowRestorer(windowRegion, settings));

    /// <summary>Window start encoded in an entity id (<c>2026-11-28T10:05:00Z#2</c>).</summary>
    public static DateTimeOffset? StartOf(string entityId)
    {
        var hash = entityId.IndexOf('#', StringComparison.Ordinal);
        var text = hash > 0 ? entityId[..hash] : entityId;
        return DateTimeOffset.TryParseExact(text, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start)
            ? start
            : null;
    }

    private sealed record Done(int Count);
}
