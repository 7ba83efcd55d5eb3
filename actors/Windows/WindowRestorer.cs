using System.Globalization;
using Akka.Actor;
using Akka.Event;
using TrafficActors.Persistence;
using TrafficActors.Settings;

namespace TrafficActors.Windows;

/// <summary>
/// Wakes every persisted window bucket still within retention, so each recovers from the journal and republishes
/// its figures; without it a window would only come back when its next alert arrives. Started by
/// <see cref="WindowRestoreTrigger"/>; stops when done.
/// </summary>
public sealed class WindowRestorer : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public WindowRestorer(IActorRef windowRegion, WindowSettings settings, JournalDatabase journal, TimeProvider time)
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

        var horizon = time.GetUtcNow() - settings.Retention - settings.Length;
        // From the tables rather than the read journal: a closed bucket's journal rows are all marked deleted
        // behind its snapshot, and the read journal lists no such id.
        journal.PersistenceIdsAsync(WindowAggregatorActor.PersistencePrefix)
            .ContinueWith(
                t =>
                {
                    if (t.IsFaulted) return (object)new Status.Failure(t.Exception!.GetBaseException());
                    var woke = 0;
                    foreach (var id in t.Result)
                    {
                        var entityId = id[WindowAggregatorActor.PersistencePrefix.Length..];
                        if (StartOf(entityId) is not { } start || start < horizon) continue;
                        windowRegion.Tell(new WakeWindow(entityId));
                        woke++;
                    }

                    return new Done(woke);
                },
                TaskScheduler.Default)
            .PipeTo(Self);
    }

    /// <param name="time">The clock the retention horizon is measured on; the system clock when null.</param>
    public static Props Props(IActorRef windowRegion, WindowSettings settings, JournalDatabase journal, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        return Akka.Actor.Props.Create(() => new WindowRestorer(windowRegion, settings, journal, clock));
    }

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
