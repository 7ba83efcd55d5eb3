using Akka.Actor;
using Akka.Event;

namespace TrafficActors.Reference;

/// <summary>
/// Owns the node's reference cache: loads the files once at start, validates them and swaps the result into
/// the <see cref="ReferenceDataStore"/> that car actors read without messaging. A failed load keeps the
/// previous version and is retried.
/// </summary>
public sealed class ReferenceDataActor : ReceiveActor, IWithTimers
{
    private readonly string _folder;
    private readonly ReferenceDataStore _store;
    private readonly TimeSpan _retryInterval;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private string? _lastError;

    public ReferenceDataActor(string folder, ReferenceDataStore store, TimeSpan retryInterval)
    {
        _folder = folder;
        _store = store;
        _retryInterval = retryInterval;
        Receive<Reload>(_ => Load());
        Receive<GetReferenceStatus>(_ =>
        {
            var s = _store.Current;
            Sender.Tell(new ReferenceStatus(_store.IsLoaded, s.Version, _folder, s.Models.Count, s.Colors.Count, s.CarCount, _lastError));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string folder, ReferenceDataStore store, TimeSpan retryInterval) =>
        Akka.Actor.Props.Create(() => new ReferenceDataActor(folder, store, retryInterval));

    protected override void PreStart() => Load();

    private void Load()
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var snapshot = ReferenceCsv.LoadFolder(_folder);
            _store.Swap(snapshot);
            _lastError = null;
            _log.Info("Reference data loaded from {0}: {1} models, {2} colors, {3} cars ({4}) in {5} ms",
                _folder, snapshot.Models.Count, snapshot.Colors.Count, snapshot.CarCount, snapshot.Version, started.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is ReferenceDataException or IOException or UnauthorizedAccessException)
        {
            _lastError = ex.Message;
            _log.Error("Reference data rejected, keeping version {0}: {1}", _store.Current.Version, ex.Message);
            Timers.StartSingleTimer(nameof(Reload), Reload.Instance, _retryInterval);
        }
    }

    private sealed class Reload
    {
        public static readonly Reload Instance = new();
    }
}
