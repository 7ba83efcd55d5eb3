using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using TrafficActors.Domain;
using TrafficActors.Kafka;
using TrafficActors.Metrics;
using TrafficActors.Settings;
using TrafficActors.Tracing;

namespace TrafficActors.Windows;

/// <summary>
/// One bucket of one event-time window, persisted. Alerts arrive as batches (<see cref="CountAlerts"/>, one per
/// ingest batch, answered once) or one at a time (<see cref="CountAlert"/>). Alerts that arrive while a write is in
/// flight are gathered and written together as one event when it completes, so the journal sees few large writes
/// instead of one row per alert; every sender is answered only after all its alerts are durable. Figures are
/// published to the dashboard topic at most once per publish interval, and republished unchanged for a while after
/// each change or start: pub-sub is at-most-once (a node that has just joined may not know the web role's
/// subscription yet), so a lost update heals instead of leaving the dashboard stale until the window's next alert.
/// Lifecycle: open → closed (event time: the node's <see cref="NodeWatermark"/> reached end + allowed lateness,
/// checked on every count and every watermark interval; persisted as <see cref="WindowClosed"/>; later alerts count
/// as late) → ids dropped (dedupe horizon after closing) → deleted and stopped (retention after the window's end).
/// Only the housekeeping stages go by the wall clock, which comes from the <see cref="TimeProvider"/>; Akka's timers
/// only wake the bucket when the next stage should be due, and the clock decides whether it is.
/// </summary>
public sealed class WindowAggregatorActor : ReceivePersistentActor, IWithTimers
{
    /// <summary>DistributedPubSub topic the web role listens on.</summary>
    public const string DashboardTopic = "dashboard";

    /// <summary>Prefix of every window's persistence id; the rest is the entity id.</summary>
    public const string PersistencePrefix = "window-";

    private readonly string _windowId;
    private readonly WindowSettings _settings;
    private readonly PipelineMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly IActorRef _mediator;
    private readonly NodeWatermark _watermark;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SortedSet<Alert> _recent = new(NewestFirst.Instance);
    private WindowState? _state;
    private Batch _buffer = new();

    // Batches handed to the journal, oldest first; their writes complete in this order.
    private readonly Queue<Batch> _inFlight = new();
    private bool _dirty;
    private DateTimeOffset _changedAt;
    private DateTimeOffset _publishedAt;
    private long _batchesSinceSnapshot;

    public WindowAggregatorActor(string windowId, WindowSettings settings, PipelineMetrics metrics, TimeProvider time)
    {
        _windowId = windowId;
        _settings = settings;
        _metrics = metrics;
        _time = time;
        _mediator = DistributedPubSub.Get(Context.System).Mediator;
        _watermark = NodeWatermark.Get(Context.System);

        Recover<SnapshotOffer>(o =>
        {
            if (o.Snapshot is WindowSnapshot s) _state = WindowState.FromSnapshot(s);
        });
        Recover<WindowCreated>(c => _state ??= new WindowState(c.Start, c.Length));
        Recover<AlertsCounted>(e => _state?.Apply(e));
        Recover<WindowClosed>(e => _state?.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            JournalReached();
            OnStarted();
        });

        Command<CountAlerts>(CountBatch);
        Command<CountAlert>(Count);
        Command<WakeWindow>(_ =>
        {
            if (_state is null) return;
            MarkDirty();
            CheckWatermark();
            // Timers armed against an earlier reading of the clock (set since, or a host that slept) catch up.
            ScheduleLifecycle();
        });
        Command<WatermarkCheck>(_ => CheckWatermark());
        Command<GetFinalFigures>(_ =>
        {
            if (_state is null)
            {
                // Asked by the window's publisher and never counted anything: nothing to keep running for.
                Sender.Tell(new FinalFigures(_windowId, null));
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            }
            else if (_state.IsClosed)
            {
                Sender.Tell(new FinalFigures(_windowId, _state.ToStats()));
            }
        });
        Command<PublishTick>(_ => Publish());
        Command<Lifecycle>(OnLifecycle);
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        // Housekeeping failures leave the bucket running and are retried at the next snapshot: they do not make an
        // outage (nothing would end it if no write followed), and during one they are part of it, not news.
        Command<SaveSnapshotFailure>(f => CleanupFailed("snapshot", f.Cause));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => CleanupFailed("journal cleanup", f.Cause));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => PersistencePrefix + _windowId;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="time">The clock of the housekeeping stages (ids dropped, expiry); the system clock when null.</param>
    public static Props Props(string windowId, WindowSettings settings, PipelineMetrics metrics, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        return Akka.Actor.Props.Create(() => new WindowAggregatorActor(windowId, settings, metrics, clock));
    }

    private bool Closed => _state is { IsClosed: true };

    private void OnStarted()
    {
        Timers.StartPeriodicTimer(nameof(PublishTick), PublishTick.Instance, _settings.PublishInterval);
        if (_state is null) return;
        MarkDirty();
        ScheduleLifecycle();
        CheckWatermark();
        // A closed bucket that starts again (a restart, a move) may have closed without its window being published.
        if (_state.IsClosed) RequestPublish();
    }

    /// <summary>Asks the window's publisher (hosted on every windows node) to publish the window unless it has.</summary>
    private void RequestPublish() =>
        WindowPublisherActor.Region(Context.System).Tell(new PublishWindow(WindowResultJson.Key(_state!.Start), _state.Start, _state.Length));

    /// <summary>
    /// Closes the window once the node's watermark has passed its end plus the allowed lateness: no partition will
    /// bring it an on-time alert any more. The figures are final from this call on, before the event is durable: a
    /// failed write stops the bucket and its unanswered alerts come again.
    /// </summary>
    private void CheckWatermark()
    {
        if (_state is null || _state.IsClosed) return;
        var watermark = _watermark.Current;
        if (!_state.ShouldClose(watermark, _settings.AllowedLateness))
        {
            if (!Timers.IsTimerActive(nameof(WatermarkCheck)))
                Timers.StartPeriodicTimer(nameof(WatermarkCheck), WatermarkCheck.Instance, _settings.WatermarkInterval);
            return;
        }

        Timers.Cancel(nameof(WatermarkCheck));
        var closed = new WindowClosed(watermark!.Value, _time.GetUtcNow());
        _state.Apply(closed);
        _log.Debug("Window {0} closed at watermark {1:o}", _windowId, closed.Watermark);
        PersistAsync(closed, _ =>
        {
            JournalReached();
            MarkDirty();
            // The final figures, compacted: recovery of a closed bucket reads one snapshot.
            Snapshot();
            Arm(Lifecycle.DropIds);
            RequestPublish();
        });
    }

    private void Count(CountAlert msg)
    {
        EnsureCreated(msg.WindowStart, msg.WindowLength);
        CheckWatermark();
        var (decision, waits) = Take(msg.Alert, Closed);
        Answer(new AlertCounted(msg.Alert.Sample.EventId, decision), waits);
    }

    private void CountBatch(CountAlerts msg)
    {
        EnsureCreated(msg.WindowStart, msg.WindowLength);
        CheckWatermark();
        var closed = Closed;
        int counted = 0, duplicates = 0, late = 0;
        var waits = false;
        var traces = msg.Traces;
        var nextTrace = 0;
        List<Activity>? spans = null;
        for (var i = 0; i < msg.Alerts.Count; i++)
        {
            var alert = msg.Alerts[i];
            var (decision, pending) = Take(alert, closed);
            waits |= pending;
            if (traces is not null && nextTrace < traces.Count && traces[nextTrace].Index == i
                && StartSpan(alert, decision, traces[nextTrace++].Context) is { } span)
                (spans ??= []).Add(span);
            switch (decision)
            {
                case WindowDecision.Count: counted++; break;
                case WindowDecision.Duplicate: duplicates++; break;
                default: late++; break;
            }
        }

        Answer(new AlertBatchCounted(msg.WindowId, msg.Sequence, msg.Part, counted, duplicates, late), waits, spans);
    }

    private Activity? StartSpan(Alert alert, WindowDecision decision, in ActivityContext parent)
    {
        var span = KafkaTracing.StartDetached(PipelineTracing.Source, PipelineTracing.WindowSpan, ActivityKind.Internal, parent);
        span?.SetTag(PipelineTracing.WindowId, _windowId);
        span?.SetTag(PipelineTracing.EventId, alert.Sample.EventId);
        span?.SetTag(PipelineTracing.WindowDecision, decision.ToString());
        return span;
    }

    private static void EndSpans(List<Activity>? spans, string? error = null)
    {
        if (spans is null) return;
        foreach (var span in spans)
        {
            if (error is not null) span.SetStatus(ActivityStatusCode.Error, error);
            KafkaTracing.StopDetached(span);
        }
    }

    private void EnsureCreated(DateTimeOffset start, TimeSpan length)
    {
        if (_state is not null) return;
        // The window's identity is its first event, so recovery knows start and length even before any batch.
        _state = new WindowState(start, length);
        PersistAsync(new WindowCreated(start, length), _ => { });
        ScheduleLifecycle();
    }

    /// <summary>
    /// Classifies one alert and buffers it for the next write; true when its outcome is not durable yet (it was
    /// buffered now, or it is a copy of one still being written).
    /// </summary>
    private (WindowDecision Decision, bool Pending) Take(Alert alert, bool closed)
    {
        var hash = WindowState.HashId(alert.Sample.EventId);
        var decision = _state!.Decide(hash, closed);
        switch (decision)
        {
            case WindowDecision.Duplicate:
                _metrics.OnWindowDuplicate();
                return (decision, _buffer.Contains(hash) || _inFlight.Any(b => b.Contains(hash)));
            case WindowDecision.Late:
                _metrics.OnLateAlert();
                _buffer.Late.Add(hash);
                break;
            default:
                _buffer.Counted.Add(WindowState.ToCounted(alert, hash));
                // Only what would stay among the newest: most alerts of a busy window are not.
                if (_recent.Count < _settings.RecentAlerts || NewestFirst.Instance.Compare(alert, _recent.Max) < 0)
                {
                    _recent.Add(alert);
                    if (_recent.Count > _settings.RecentAlerts) _recent.Remove(_recent.Max!);
                }
                break;
        }

        _buffer.Hashes.Add(hash);
        return (decision, true);
    }

    /// <summary>
    /// Answers at once when nothing the reply speaks for is waiting to be written; otherwise with the newest batch
    /// not yet durable, which writes after every older one. The spans of traced alerts end with the answer.
    /// </summary>
    private void Answer(object reply, bool waits, List<Activity>? spans = null)
    {
        if (!waits)
        {
            Sender.Tell(reply);
            EndSpans(spans);
            return;
        }

        var batch = _buffer.Size > 0 || _inFlight.Count == 0 ? _buffer : _inFlight.Last();
        batch.Waiters.Add((Sender, reply));
        if (spans is not null) (batch.Spans ??= []).AddRange(spans);
        if (_inFlight.Count == 0 || _buffer.Size >= _settings.MaxBatch) Flush();
    }

    private void Flush()
    {
        if (_buffer.Size == 0) return;
        var batch = _buffer;
        _buffer = new Batch();
        _inFlight.Enqueue(batch);
        var started = _time.GetTimestamp();
        PersistAsync(new AlertsCounted(batch.Counted, batch.Late), e =>
        {
            PersistenceMetrics.RecordWrite(_time.GetElapsedTime(started));
            JournalReached();
            _state!.Apply(e);
            _inFlight.Dequeue();
            foreach (var (to, reply) in batch.Waiters) to.Tell(reply);
            EndSpans(batch.Spans);
            MarkDirty();
            if (++_batchesSinceSnapshot >= _settings.SnapshotEvery) Snapshot();
            Flush();
        });
    }

    /// <summary>
    /// A failed write stops the bucket (Akka.Persistence cannot continue after one: the journal's state is unknown).
    /// Nothing is lost: no sender of the failed batch was answered, so each alert comes again and the next
    /// incarnation recovers the durable figures. During an outage every bucket fails like this, so only the first
    /// failure of an outage is logged, once per node and without a stack trace.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        PersistenceMetrics.RecordWriteFailure();
        foreach (var batch in _inFlight.Append(_buffer)) EndSpans(batch.Spans, "window write failed");
        JournalFailed("write", cause);
    }

    /// <inheritdoc cref="OnPersistFailure"/>
    protected override void OnRecoveryFailure(Exception reason, object? message = null) => JournalFailed("recovery", reason);

    private void JournalFailed(string what, Exception cause)
    {
        if (_metrics.WindowJournal.OnFailure())
            _log.Warning("Window journal unavailable ({0} of {1} failed: {2}); buckets stop and recover when it is back, alerts are not acknowledged meanwhile", what, _windowId, cause.GetBaseException().Message);
    }

    private void CleanupFailed(string what, Exception cause)
    {
        if (!_metrics.WindowJournal.InOutage) _log.Warning("Window {0}: {1} failed: {2}", _windowId, what, cause.Message);
    }

    private void JournalReached()
    {
        if (_metrics.WindowJournal.OnSuccess() is { } failed)
            _log.Info("Window journal available again after {0} failed writes and recoveries", failed);
    }

    private void Snapshot()
    {
        _batchesSinceSnapshot = 0;
        SaveSnapshot(_state!.ToSnapshot());
    }

    /// <summary>When a housekeeping stage is due on the wall clock; null while it cannot be (ids of an open window).</summary>
    private DateTimeOffset? DueAt(Lifecycle stage) => stage switch
    {
        Lifecycle.DropIds => _state!.Closed is { } closed ? closed.ClosedAt + _settings.DedupeHorizon : null,
        _ => _state!.End + _settings.Retention,
    };

    private void ScheduleLifecycle()
    {
        Arm(Lifecycle.DropIds);
        Arm(Lifecycle.Expire);
    }

    private void Arm(Lifecycle stage)
    {
        if (DueAt(stage) is { } due) Timers.StartSingleTimer(stage, stage, Max(due - _time.GetUtcNow()));
    }

    private void OnLifecycle(Lifecycle stage)
    {
        if (_state is null) return;
        // The scheduler's clock is not the window's: a stage it wakes early for (the clock was set back) waits on.
        if (DueAt(stage) is not { } due || _time.GetUtcNow() < due)
        {
            Arm(stage);
            return;
        }

        if (stage == Lifecycle.DropIds && !_state.IdsDropped)
        {
            _state.DropIds();
            Snapshot();
        }
        else if (stage == Lifecycle.Expire)
        {
            _log.Debug("Window {0} passed retention: deleting and stopping", _windowId);
            Timers.Cancel(nameof(PublishTick)); // a republish after this would bring the window back to readers
            _mediator.Tell(new Publish(DashboardTopic, new WindowExpired(_windowId)));
            WindowPublisherActor.Region(Context.System).Tell(new ForgetWindow(WindowResultJson.Key(_state.Start)));
            DeleteMessages(long.MaxValue);
            DeleteSnapshots(SnapshotSelectionCriteria.Latest);
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        }
    }

    private void MarkDirty()
    {
        _dirty = true;
        _changedAt = _time.GetUtcNow();
    }

    private void Publish()
    {
        if (_state is null) return;
        var now = _time.GetUtcNow();
        var refresh = now - _changedAt <= _settings.RepublishFor && now - _publishedAt >= _settings.RepublishInterval;
        if (!_dirty && !refresh) return;
        _dirty = false;
        _publishedAt = now;
        _mediator.Tell(new Publish(DashboardTopic, new WindowPartial(_windowId, _state.ToStats(), _recent.ToArray())));
    }

    private static TimeSpan Max(TimeSpan t) => t > TimeSpan.Zero ? t : TimeSpan.Zero;

    private sealed class Batch
    {
        public List<CountedAlert> Counted { get; } = [];

        public List<ulong> Late { get; } = [];

        public HashSet<ulong> Hashes { get; } = [];

        public List<(IActorRef To, object Reply)> Waiters { get; } = [];

        /// <summary>Spans of traced alerts whose answers wait for this write.</summary>
        public List<Activity>? Spans { get; set; }

        public int Size => Counted.Count + Late.Count;

        public bool Contains(ulong hash) => Hashes.Contains(hash);
    }

    private sealed class NewestFirst : IComparer<Alert>
    {
        public static readonly NewestFirst Instance = new();

        public int Compare(Alert? x, Alert? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return 1;
            if (y is null) return -1;
            var byTime = y.Sample.EventTime.CompareTo(x.Sample.EventTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Sample.EventId, y.Sample.EventId);
        }
    }

    private sealed class PublishTick
    {
        public static readonly PublishTick Instance = new();
    }

    private sealed class WatermarkCheck
    {
        public static readonly WatermarkCheck Instance = new();
    }

    private enum Lifecycle
    {
        DropIds,
        Expire,
    }
}
