using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Kafka;

namespace TrafficActors.Ingest;

/// <summary>
/// Hands each consumed message to its car actor with a plain Tell (the stage's own actor is the sender, so no
/// temporary ask actor and no task per event) and emits the message's offset once the car actor answered, i.e.
/// once every output of the event is durable; malformed messages go to the dead-letter topic instead. At most
/// <c>parallelism</c> events are in flight. Offsets are emitted as answers arrive, not in consumption order: the
/// committable source stores only the contiguous processed prefix of each partition, so order does not matter.
/// An event not answered within the timeout, a failed write, or a failed dead letter fails the stage (and the
/// ingest stream restarts from the committed offsets), like the ask timeout of a per-event Ask would.
/// Written as a stage of its own because Akka.Streams offers asks per element only (SelectAsync / Ask), which
/// is the per-event cost this removes.
/// </summary>
public sealed class CarDispatchStage : GraphStage<FlowShape<CommittableMessage, ICommittableOffset>>
{
    private readonly IngestStreamContext _ctx;

    public CarDispatchStage(IngestStreamContext ctx)
    {
        _ctx = ctx;
        Shape = new FlowShape<CommittableMessage, ICommittableOffset>(In, Out);
    }

    public Inlet<CommittableMessage> In { get; } = new("car-dispatch.in");

    public Outlet<ICommittableOffset> Out { get; } = new("car-dispatch.out");

    public override FlowShape<CommittableMessage, ICommittableOffset> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    /// <summary>One event between dispatch and answer; a struct so tracking it allocates nothing.</summary>
    private readonly record struct InFlight(ICommittableOffset Offset, DateTime StampUtc, long SentAt);

    private sealed class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
    {
        private const string SweepTimer = "sweep";

        private readonly CarDispatchStage _stage;
        private readonly IngestStreamContext _ctx;
        private readonly int _parallelism;
        private readonly long _timeoutTicks;
        private readonly Dictionary<long, InFlight> _inFlight;
        private readonly Queue<ICommittableOffset> _ready = new();
        private readonly Action<(long Sequence, Exception? Error)> _onDeadLettered;
        private StageActor? _self;
        private long _nextSequence;
        private bool _upstreamFinished;

        public Logic(CarDispatchStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _ctx = stage._ctx;
            _parallelism = _ctx.Settings.Ingest.Parallelism;
            _timeoutTicks = (long)(_ctx.Settings.Ingest.AskTimeout.TotalSeconds * Stopwatch.Frequency);
            _inFlight = new Dictionary<long, InFlight>(_parallelism);
            _onDeadLettered = GetAsyncCallback<(long Sequence, Exception? Error)>(OnDeadLettered);
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _self = GetStageActor(OnMessage);
            ScheduleRepeatedly(SweepTimer, _ctx.Settings.Ingest.TimeoutCheckInterval);
            Pull(_stage.In);
        }

        public void OnPush()
        {
            var msg = Grab(_stage.In);
            _ctx.Metrics.OnConsumed();
            var record = msg.Record;
            var stamp = record.Message.Timestamp;
            // End to end from when the producer stamped the message; consume time when the broker gave no timestamp.
            var stampUtc = stamp.Type == Confluent.Kafka.TimestampType.NotAvailable ? DateTime.UtcNow : stamp.UtcDateTime;
            var sequence = _nextSequence++;
            _inFlight.Add(sequence, new InFlight(msg.Offset, stampUtc, Stopwatch.GetTimestamp()));

            var parsed = RawEventParser.Parse(record.Message.Value ?? [], _ctx.Settings.Validation);
            if (parsed.IsValid)
            {
                _ctx.CarRegion.Tell(new ProcessSample(parsed.Event!, sequence), _self!.Ref);
            }
            else
            {
                _ctx.Outputs.PublishDeadLetter(record, parsed.Error!).ContinueWith(
                    static (t, state) =>
                    {
                        var (callback, seq) = ((Action<(long, Exception?)>, long))state!;
                        callback((seq, t.Exception?.GetBaseException()));
                    },
                    (_onDeadLettered, sequence),
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            PullIfRoom();
        }

        public void OnUpstreamFinish()
        {
            _upstreamFinished = true;
            CompleteWhenIdle();
        }

        public void OnUpstreamFailure(Exception e) => FailStage(e);

        public void OnPull()
        {
            if (_ready.TryDequeue(out var offset))
            {
                Push(_stage.Out, offset);
                PullIfRoom();
            }

            CompleteWhenIdle();
        }

        public void OnDownstreamFinish(Exception cause) => InternalOnDownstreamFinish(cause);

        protected override void OnTimer(object timerKey)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var (sequence, f) in _inFlight)
            {
                if (now - f.SentAt > _timeoutTicks)
                {
                    FailStage(new AskTimeoutException(
                        $"event {sequence} ({f.Offset}) was not processed within {_ctx.Settings.Ingest.AskTimeout.TotalSeconds:0.#} s"));
                    return;
                }
            }
        }

        private void OnMessage((IActorRef Sender, object Message) args)
        {
            switch (args.Message)
            {
                case SampleProcessed p:
                    Completed(p.Sequence, processed: true);
                    break;
                case Status.Failure f:
                    // A write of some event failed: no offset may pass it, so restart from the committed ones.
                    FailStage(f.Cause);
                    break;
            }
        }

        private void OnDeadLettered((long Sequence, Exception? Error) result)
        {
            if (result.Error is not null)
            {
                FailStage(result.Error);
                return;
            }

            _ctx.Metrics.OnDeadLettered();
            Completed(result.Sequence, processed: false);
        }

        private void Completed(long sequence, bool processed)
        {
            // An answer from before a timeout sweep or for another stage's sequence: nothing to do.
            if (!_inFlight.Remove(sequence, out var f)) return;
            if (processed)
            {
                _ctx.Metrics.OnProcessed();
                _ctx.Metrics.OnProcessingLatency(DateTime.UtcNow - f.StampUtc);
            }

            if (IsAvailable(_stage.Out)) Push(_stage.Out, f.Offset);
            else _ready.Enqueue(f.Offset);
            PullIfRoom();
            CompleteWhenIdle();
        }

        private void PullIfRoom()
        {
            if (!_upstreamFinished && _inFlight.Count + _ready.Count < _parallelism && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In))
                Pull(_stage.In);
        }

        private void CompleteWhenIdle()
        {
            if (_upstreamFinished && _inFlight.Count == 0 && _ready.Count == 0) CompleteStage();
        }
    }
}
