using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Streams;
using Akka.Streams.Stage;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Kafka;
using TrafficActors.Tracing;
using TrafficActors.Windows;

namespace TrafficActors.Ingest;

/// <summary>
/// Takes what the Kafka source consumed as one batch through the pipeline and emits the batch's offsets once
/// every output of every event is durable:
/// <list type="number">
/// <item>each message is parsed; a malformed one goes to the dead-letter topic;</item>
/// <item>the valid events are grouped by car and each car receives <b>one</b> <see cref="ProcessSamples"/> with
/// its events in offset order (a plain Tell; the stage's own actor is the sender and receives the answers);</item>
/// <item>when every car has answered (its enriched samples and alerts acknowledged by the broker), the alerts
/// the cars handed back are grouped by window bucket and each bucket receives <b>one</b>
/// <see cref="CountAlerts"/> (in parts of at most max-alerts-per-count, which keeps every message within one
/// remote frame); unanswered buckets get the same batch again every window-retry-interval (a bucket
/// moving or on a node that died), which is harmless because buckets recognise alerts by event id;</item>
/// <item>once every bucket has answered, the batch's offsets are emitted to be marked processed.</item>
/// </list>
/// The stage also tracks the event-time progress of the partitions it consumes (<see cref="WatermarkTracker"/>):
/// a batch's highest event time per partition counts only once it and every batch consumed before it are done, so
/// the reported progress never passes an alert still on its way to a bucket. Every watermark interval the report
/// is published for the windows nodes (<see cref="WatermarkActor"/>), which close windows by it.
/// At most <c>parallelism</c> events are in flight over all batches. Batches complete in any order: the
/// committable source stores only the contiguous processed prefix of each partition. One car's events keep their
/// order because its messages leave here in consumption order. A batch not done within the ask timeout, a failed
/// write or a failed dead letter fails the stage, and the ingest stream restarts from the committed offsets.
/// Written as a stage of its own because Akka.Streams offers asks per element only (SelectAsync / Ask), which
/// is the per-event cost this removes.
/// </summary>
public sealed class CarDispatchStage : GraphStage<FlowShape<IReadOnlyList<CommittableMessage>, IReadOnlyList<ICommittableOffset>>>
{
    private readonly IngestStreamContext _ctx;
    private readonly Func<IReadOnlyList<int>> _assignment;

    /// <param name="assignment">The raw-data partitions the consumer is assigned now.</param>
    public CarDispatchStage(IngestStreamContext ctx, Func<IReadOnlyList<int>> assignment)
    {
        _ctx = ctx;
        _assignment = assignment;
        Shape = new FlowShape<IReadOnlyList<CommittableMessage>, IReadOnlyList<ICommittableOffset>>(In, Out);
    }

    public Inlet<IReadOnlyList<CommittableMessage>> In { get; } = new("car-dispatch.in");

    public Outlet<IReadOnlyList<ICommittableOffset>> Out { get; } = new("car-dispatch.out");

    public override FlowShape<IReadOnlyList<CommittableMessage>, IReadOnlyList<ICommittableOffset>> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    /// <summary>One consumed batch between dispatch and its last answer.</summary>
    private sealed class Batch(long sequence, ICommittableOffset[] offsets, DateTime[] stamps, long sentAt)
    {
        public long Sequence { get; } = sequence;

        public ICommittableOffset[] Offsets { get; } = offsets;

        /// <summary>Message timestamps of the valid events (processing latency is measured from them).</summary>
        public DateTime[] Stamps { get; } = stamps;

        public int Valid { get; set; }

        public long SentAt { get; } = sentAt;

        /// <summary>Car answers and dead-letter writes still outstanding.</summary>
        public int Pending { get; set; }

        public Dictionary<WindowKey, List<Alert>>? Alerts { get; set; }

        /// <summary>Counts sent to window buckets and not answered yet, by entity id and part.</summary>
        public Dictionary<(string WindowId, int Part), CountAlerts>? Windows { get; set; }

        public long WindowsSentAt { get; set; }

        /// <summary>The <c>process</c> spans of its traced events, ended when the batch is done.</summary>
        public List<Activity>? Spans { get; set; }

        /// <summary>The car spans of its traced alerts, the parents of their window counts.</summary>
        public Dictionary<Alert, ActivityContext>? AlertTraces { get; set; }

        /// <summary>Per partition: records consumed in this batch and their highest valid event time.</summary>
        public Dictionary<int, (int Records, DateTimeOffset? Highest)> Partitions { get; } = new();

        public bool Done { get; set; }
    }

    private sealed class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
    {
        private const string SweepTimer = "sweep";
        private const string WatermarkTimer = "watermark";

        private readonly CarDispatchStage _stage;
        private readonly IngestStreamContext _ctx;
        private readonly int _parallelism;
        private readonly long _timeoutTicks;
        private readonly long _windowRetryTicks;
        private readonly Dictionary<long, Batch> _inFlight = new();
        private readonly Queue<Batch> _ready = new();

        // Every batch in consumption order until it and all before it are done: the order the tracker needs.
        private readonly Queue<Batch> _consumed = new();
        private readonly WatermarkTracker _watermarks;
        private IActorRef? _mediator;
        private string _node = "";
        private readonly Action<(long Sequence, Exception? Error)> _onDeadLettered;
        private StageActor? _self;
        private long _nextSequence;
        private int _eventsInFlight;
        private bool _upstreamFinished;

        public Logic(CarDispatchStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _ctx = stage._ctx;
            _parallelism = _ctx.Settings.Ingest.Parallelism;
            _timeoutTicks = (long)(_ctx.Settings.Ingest.AskTimeout.TotalSeconds * Stopwatch.Frequency);
            _windowRetryTicks = (long)(_ctx.Settings.Ingest.WindowRetryInterval.TotalSeconds * Stopwatch.Frequency);
            _onDeadLettered = GetAsyncCallback<(long Sequence, Exception? Error)>(OnDeadLettered);
            _watermarks = new WatermarkTracker(_ctx.Settings.Windows.IdleTimeout, TimeProvider.System);
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _self = GetStageActor(OnMessage);
            ScheduleRepeatedly(SweepTimer, _ctx.Settings.Ingest.TimeoutCheckInterval);
            var system = ((ActorMaterializer)Materializer).System;
            _mediator = DistributedPubSub.Get(system).Mediator;
            _node = Cluster.Get(system).SelfAddress.ToString();
            ScheduleRepeatedly(WatermarkTimer, _ctx.Settings.Windows.WatermarkInterval);
            Pull(_stage.In);
        }

        public void OnPush()
        {
            var messages = Grab(_stage.In);
            var sequence = _nextSequence++;
            var count = messages.Count;
            var offsets = new ICommittableOffset[count];
            var stamps = new DateTime[count];
            var batch = new Batch(sequence, offsets, stamps, Stopwatch.GetTimestamp());
            _inFlight.Add(sequence, batch);
            _consumed.Enqueue(batch);
            _eventsInFlight += count;

            // Grouped in first-seen order so each car's list keeps consumption order.
            var byCar = new Dictionary<long, List<RawEvent>>(count);
            var validation = _ctx.Settings.Validation;
            // Checked once per batch: with no listener, which is the rule, tracing costs nothing more.
            var tracing = PipelineTracing.Source.HasListeners();
            Dictionary<long, List<EventTrace>>? traces = null;
            var (partition, runRecords, runHighest) = (-1, 0, (DateTimeOffset?)null);
            for (var i = 0; i < count; i++)
            {
                var msg = messages[i];
                offsets[i] = msg.Offset;
                _ctx.Metrics.OnConsumed();
                var record = msg.Record;
                var parsed = RawEventParser.Parse(record.Message.Value ?? [], validation);
                // A batch holds runs of one partition: its entry is written back when the run ends.
                if (record.Partition.Value != partition)
                {
                    if (runRecords > 0) AddRun(batch, partition, runRecords, runHighest);
                    (partition, runRecords, runHighest) = (record.Partition.Value, 0, null);
                }

                runRecords++;
                if (parsed.IsValid && (runHighest is null || parsed.Event!.EventTime > runHighest)) runHighest = parsed.Event!.EventTime;
                if (parsed.IsValid)
                {
                    var e = parsed.Event!;
                    var stamp = record.Message.Timestamp;
                    // End to end from when the producer stamped the message; consume time when the broker gave none.
                    stamps[batch.Valid++] = stamp.Type == Confluent.Kafka.TimestampType.NotAvailable ? DateTime.UtcNow : stamp.UtcDateTime;
                    if (!byCar.TryGetValue(e.CarId, out var events)) byCar.Add(e.CarId, events = new List<RawEvent>(2));
                    if (tracing && KafkaTracing.StartProcess(PipelineTracing.Source, record, _ctx.Tracing.SamplingRatio) is { } span)
                    {
                        span.SetTag(PipelineTracing.CarId, e.CarId);
                        span.SetTag(PipelineTracing.EventId, e.EventId);
                        (batch.Spans ??= []).Add(span);
                        traces ??= [];
                        if (!traces.TryGetValue(e.CarId, out var carTraces)) traces.Add(e.CarId, carTraces = []);
                        carTraces.Add(new EventTrace(events.Count, span.Context));
                    }

                    events.Add(e);
                }
                else
                {
                    batch.Pending++;
                    _ctx.Outputs.PublishDeadLetter(record, parsed.Error!).ContinueWith(
                        static (t, state) =>
                        {
                            var (callback, seq) = ((Action<(long, Exception?)>, long))state!;
                            callback((seq, t.Exception?.GetBaseException()));
                        },
                        (_onDeadLettered, sequence),
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }

            if (runRecords > 0) AddRun(batch, partition, runRecords, runHighest);
            batch.Pending += byCar.Count;
            foreach (var (carId, events) in byCar)
                _ctx.CarRegion.Tell(new ProcessSamples(carId, events, sequence, traces?.GetValueOrDefault(carId)), _self!.Ref);
            if (batch.Pending == 0) CarsDone(batch);
            PullIfRoom();
        }

        private void AddRun(Batch batch, int partition, int records, DateTimeOffset? highest)
        {
            _watermarks.Consumed(partition, records);
            var (before, known) = batch.Partitions.GetValueOrDefault(partition);
            var merged = known is null ? highest : highest is null ? known : highest > known ? highest : known;
            batch.Partitions[partition] = (before + records, merged);
        }

        public void OnUpstreamFinish()
        {
            _upstreamFinished = true;
            CompleteWhenIdle();
        }

        public void OnUpstreamFailure(Exception e) => FailStage(e);

        public void OnPull()
        {
            if (_ready.TryDequeue(out var batch)) Emit(batch);
            CompleteWhenIdle();
        }

        public void OnDownstreamFinish(Exception cause) => InternalOnDownstreamFinish(cause);

        protected override void OnTimer(object timerKey)
        {
            if (WatermarkTimer.Equals(timerKey))
            {
                _watermarks.Assign(_stage._assignment());
                _mediator!.Tell(new Publish(WatermarkActor.Topic, new PartitionWatermarks(_node, _watermarks.Report())));
                return;
            }

            var now = Stopwatch.GetTimestamp();
            foreach (var batch in _inFlight.Values)
            {
                if (now - batch.SentAt > _timeoutTicks)
                {
                    FailStage(new AskTimeoutException(
                        $"batch {batch.Sequence} ({batch.Offsets.Length} events from {batch.Offsets[0]}) was not processed within {_ctx.Settings.Ingest.AskTimeout.TotalSeconds:0.#} s"));
                    return;
                }

                if (batch.Windows is { Count: > 0 } windows && now - batch.WindowsSentAt >= _windowRetryTicks)
                {
                    batch.WindowsSentAt = now;
                    foreach (var count in windows.Values)
                    {
                        _ctx.Metrics.OnWindowRetry();
                        _ctx.WindowRegion.Tell(count, _self!.Ref);
                    }
                }
            }
        }

        private void OnMessage((IActorRef Sender, object Message) args)
        {
            switch (args.Message)
            {
                case SamplesProcessed p:
                    OnCarDone(p);
                    break;
                case AlertBatchCounted c:
                    OnWindowDone(c);
                    break;
                case Status.Failure f:
                    // A write of some event failed: no offset may pass it, so restart from the committed ones.
                    FailStage(f.Cause);
                    break;
            }
        }

        private void OnCarDone(SamplesProcessed p)
        {
            // An answer for a batch this stage no longer tracks: nothing to do.
            if (!_inFlight.TryGetValue(p.Sequence, out var batch) || batch.Windows is not null) return;
            if (p.Alerts.Count > 0)
            {
                batch.Alerts ??= new Dictionary<WindowKey, List<Alert>>();
                var windows = _ctx.Settings.Windows;
                foreach (var alert in p.Alerts)
                {
                    var key = WindowKey.For(alert.Sample.EventTime, alert.Sample.CarId, windows.Length, windows.Buckets);
                    if (!batch.Alerts.TryGetValue(key, out var list)) batch.Alerts.Add(key, list = []);
                    list.Add(alert);
                }

                if (p.Traces is not null)
                {
                    batch.AlertTraces ??= new Dictionary<Alert, ActivityContext>(ReferenceEqualityComparer.Instance);
                    foreach (var t in p.Traces) batch.AlertTraces[p.Alerts[t.Index]] = t.Context;
                }
            }

            if (--batch.Pending == 0) CarsDone(batch);
        }

        private void OnDeadLettered((long Sequence, Exception? Error) result)
        {
            if (result.Error is not null)
            {
                FailStage(result.Error);
                return;
            }

            _ctx.Metrics.OnDeadLettered();
            if (_inFlight.TryGetValue(result.Sequence, out var batch) && batch.Windows is null && --batch.Pending == 0) CarsDone(batch);
        }

        /// <summary>Every output is durable: count the alerts, one message per window bucket.</summary>
        private void CarsDone(Batch batch)
        {
            if (batch.Alerts is null)
            {
                Completed(batch);
                return;
            }

            var length = _ctx.Settings.Windows.Length;
            var perCount = _ctx.Settings.Ingest.MaxAlertsPerCount;
            batch.Windows = new Dictionary<(string, int), CountAlerts>(batch.Alerts.Count);
            batch.WindowsSentAt = Stopwatch.GetTimestamp();
            foreach (var (key, alerts) in batch.Alerts)
            {
                for (int from = 0, part = 0; from < alerts.Count; from += perCount, part++)
                {
                    var slice = from == 0 && alerts.Count <= perCount ? alerts : alerts.GetRange(from, Math.Min(perCount, alerts.Count - from));
                    var count = new CountAlerts(key.EntityId, key.Start, length, slice, batch.Sequence, part, TracesOf(slice, batch.AlertTraces));
                    batch.Windows.Add((count.WindowId, part), count);
                    _ctx.WindowRegion.Tell(count, _self!.Ref);
                }
            }

            batch.Alerts = null;
            batch.AlertTraces = null;
        }

        private static List<EventTrace>? TracesOf(List<Alert> alerts, Dictionary<Alert, ActivityContext>? traced)
        {
            if (traced is null) return null;
            List<EventTrace>? traces = null;
            for (var i = 0; i < alerts.Count; i++)
                if (traced.TryGetValue(alerts[i], out var context)) (traces ??= []).Add(new EventTrace(i, context));
            return traces;
        }

        private void OnWindowDone(AlertBatchCounted counted)
        {
            // A second answer (after a retry) or one for a batch this stage no longer tracks.
            if (!_inFlight.TryGetValue(counted.Sequence, out var batch) || batch.Windows is null || !batch.Windows.Remove((counted.WindowId, counted.Part))) return;
            if (batch.Windows.Count == 0) Completed(batch);
        }

        private void Completed(Batch batch)
        {
            _inFlight.Remove(batch.Sequence);
            batch.Done = true;
            while (_consumed.TryPeek(out var oldest) && oldest.Done)
            {
                _consumed.Dequeue();
                foreach (var (partition, (records, highest)) in oldest.Partitions) _watermarks.Processed(partition, records, highest);
            }

            EndSpans(batch, error: null);
            var now = DateTime.UtcNow;
            for (var i = 0; i < batch.Valid; i++)
            {
                _ctx.Metrics.OnProcessed();
                _ctx.Metrics.OnProcessingLatency(now - batch.Stamps[i]);
            }

            if (IsAvailable(_stage.Out)) Emit(batch);
            else _ready.Enqueue(batch);
            CompleteWhenIdle();
        }

        private void Emit(Batch batch)
        {
            _eventsInFlight -= batch.Offsets.Length;
            Push(_stage.Out, batch.Offsets);
            PullIfRoom();
        }

        private void PullIfRoom()
        {
            if (!_upstreamFinished && _eventsInFlight < _parallelism && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In))
                Pull(_stage.In);
        }

        public override void PostStop()
        {
            // Batches the stage gives up on (a failure, a timeout, shutdown): their events will be consumed again.
            foreach (var batch in _inFlight.Values) EndSpans(batch, "not processed: the ingest stream stopped");
            base.PostStop();
        }

        private static void EndSpans(Batch batch, string? error)
        {
            if (batch.Spans is null) return;
            foreach (var span in batch.Spans)
            {
                if (error is not null) span.SetStatus(ActivityStatusCode.Error, error);
                KafkaTracing.StopDetached(span);
            }

            batch.Spans = null;
        }

        private void CompleteWhenIdle()
        {
            if (_upstreamFinished && _inFlight.Count == 0 && _ready.Count == 0) CompleteStage();
        }
    }
}
