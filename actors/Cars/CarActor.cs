using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Event;
using TrafficActors.Domain;
using TrafficActors.Kafka;
using TrafficActors.Metrics;
using TrafficActors.Rules;
using TrafficActors.Tracing;

namespace TrafficActors.Cars;

/// <summary>
/// One car. Enriches each sample from the node's reference cache, applies the rules with the car's own memory
/// (stateful rules), writes the outputs and replies once they are all durable, handing back the alerts for the
/// sender to count in their windows (so alerts of many cars reach a window bucket as one message). Rule state
/// changes in event order; the outputs of consecutive batches may be in flight together.
/// <para>
/// Hot path: one message per car per ingest batch, no ask and no task combinators. Output writes report straight
/// to a small per-batch countdown that replies to the ingest stream when the last output is durable, so the car
/// itself waits for nothing and can stop at once when its shard hands off. Idle cars are passivated by their shard
/// (<see cref="CarSharding"/>), so a car holds no timer of its own; an untyped actor with lazily created collections
/// keeps an idle car (the common state of most of a large fleet) small.
/// </para>
/// </summary>
public sealed class CarActor : UntypedActor
{
    private readonly long _carId;
    private readonly CarActorContext _ctx;
    private CarHistory? _history;
    private CarRuleState _ruleState;

    // The last event's readings as fields rather than an event or enriched sample object: every idle car of a
    // fleet keeps them, and a status request enriches them again.
    private string? _lastId;
    private GeoPoint? _lastLocation;
    private long _lastUtcTicks;
    private double _lastSpeed;
    private int _lastRpm;
    private int _lastGear;

    // One incarnation of a car lives until it idles for traffic.cars.idle-timeout: far below 2^31 samples.
    private int _samples;
    private int _alerts;

    public CarActor(CarActorContext ctx)
    {
        _carId = long.Parse(Context.Self.Path.Name, CultureInfo.InvariantCulture);
        _ctx = ctx;
    }

    /// <summary>
    /// Props of the car entity <paramref name="entityId"/>. Every car of a node shares one Props: the actor reads
    /// its car id from its name, which must be the entity id (sharding names entities so; tests must too). The
    /// actor system must have loaded traffic.conf, which defines the car mailbox.
    /// </summary>
    public static Props Props(string entityId, CarActorContext ctx)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        return ctx.CarProps;
    }

    /// <summary>
    /// Through a producer rather than an expression: an expression whose arguments are computed is compiled on
    /// every call, which made starting a car cost about a millisecond.
    /// </summary>
    internal static Props CreateProps(CarActorContext ctx) => Akka.Actor.Props.CreateBy(new Producer(ctx)).WithMailbox(CarMailbox.ConfigPath);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ProcessSamples samples:
                Process(samples);
                break;
            case GetCarStatus:
                Sender.Tell(Status());
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Process(ProcessSamples msg)
    {
        // A sender with a global-scope address lives on another node: these samples crossed the network.
        var remote = Sender.Path.Address.HasGlobalScope;
        var reference = _ctx.Reference.Current;
        // One version of the rules judges the whole batch, and every alert names it.
        var rules = _ctx.Rules.Current;
        var outputs = _ctx.OutputSettings;
        var metrics = _ctx.Metrics;
        var pending = new PendingBatch(Sender, msg.Sequence, metrics);
        List<Alert>? alerts = null;
        List<EventTrace>? alertTraces = null;
        RawEvent? last = null;
        var key = WireFormat.CarKey(_carId);
        var traces = msg.Traces;
        var nextTrace = 0;
        var events = msg.Events;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            Activity? span = null;
            if (traces is not null && nextTrace < traces.Count && traces[nextTrace].Index == i)
                span = StartSpan(e, traces[nextTrace++].Context);
            var trace = span?.Context ?? default;
            metrics.OnCarSample(remote);
            var car = reference.Lookup(e.CarId);
            if (car is null) metrics.OnUnknownCar();

            var verdict = rules.For(car?.BrandName, car?.ModelName).Evaluate(_ruleState, e.EventTime, e.Speed, e.Rpm, e.Gear);
            _ruleState = verdict.NextState;
            var sample = EnrichedSample.From(e, car, verdict.ExpectedGear);
            Trace(e, last);
            last = e;
            _samples++;
            if (outputs.Enriched)
            {
                pending.Expect();
                _ctx.Outputs.PublishEnriched(sample, key, pending, trace);
            }

            if (!verdict.IsAlert)
            {
                if (span is not null) KafkaTracing.StopDetached(span);
                continue;
            }

            _alerts++;
            var byRule = (_history ??= new CarHistory()).AlertsByRule ??= new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var rule in verdict.Violations) byRule[rule] = byRule.GetValueOrDefault(rule) + 1;
            metrics.OnAlert();
            metrics.OnRuleViolations(verdict.Violations);
            var alert = new Alert(sample, verdict.Violations, rules.Version);
            (alerts ??= []).Add(alert);
            if (span is not null)
            {
                span.SetTag(PipelineTracing.Alert, true);
                span.SetTag(PipelineTracing.Violations, string.Join(',', verdict.Violations));
                (alertTraces ??= []).Add(new EventTrace(alerts.Count - 1, trace));
            }

            if (outputs.Alerts)
            {
                pending.Expect();
                _ctx.Outputs.PublishAlert(alert, sample, key, pending, trace);
            }

            if (span is not null) KafkaTracing.StopDetached(span);
        }

        if (last is not null)
        {
            (_lastId, _lastUtcTicks, _lastLocation) = (last.EventId, last.EventTime.UtcTicks, last.Location);
            (_lastSpeed, _lastRpm, _lastGear) = (last.Speed, last.Rpm, last.Gear);
        }

        pending.Seal(alerts is null ? [] : alerts, alertTraces);
    }

    /// <summary>
    /// Keeps <paramref name="e"/> in the car's trace. A car's first sample is kept only as its last sample: the ring
    /// is created at the second one (<paramref name="previous"/> in this batch, or the last one of an earlier batch)
    /// and starts with both.
    /// </summary>
    private void Trace(RawEvent e, RawEvent? previous)
    {
        var trace = _history?.Trace;
        if (trace is null)
        {
            var samples = _ctx.Trace.Samples;
            if (samples == 0 || (previous is null && _lastId is null)) return;
            trace = (_history ??= new CarHistory()).Trace = new SampleTrace(samples);
            if (previous is not null) trace.Add(previous.EventTime.UtcTicks, previous.Speed, previous.Rpm, previous.Gear);
            else trace.Add(_lastUtcTicks, _lastSpeed, _lastRpm, _lastGear);
        }

        trace.Add(e.EventTime.UtcTicks, e.Speed, e.Rpm, e.Gear);
    }

    private static Activity? StartSpan(RawEvent e, in ActivityContext parent)
    {
        var span = KafkaTracing.StartDetached(PipelineTracing.Source, PipelineTracing.CarSpan, ActivityKind.Internal, parent);
        span?.SetTag(PipelineTracing.CarId, e.CarId);
        span?.SetTag(PipelineTracing.EventId, e.EventId);
        return span;
    }

    private CarStatus Status() => new(
        _carId, Self.Path.ToStringWithAddress(((ExtendedActorSystem)Context.System).Provider.DefaultAddress), _samples, _alerts,
        _history?.AlertsByRule is { } byRule ? new Dictionary<string, long>(byRule) : new Dictionary<string, long>(), LastSample(),
        _ctx.Reference.Current.Version, TracePoints());

    private TracePoint[] TracePoints()
    {
        if (_history?.Trace is { } trace) return trace.Recent(_ctx.Trace.Span);
        return _lastId is null ? [] : [new TracePoint(new DateTimeOffset(_lastUtcTicks, TimeSpan.Zero), _lastSpeed, _lastRpm, _lastGear)];
    }

    private EnrichedSample? LastSample()
    {
        if (_lastId is null) return null;
        var last = new RawEvent(_lastId, new DateTimeOffset(_lastUtcTicks, TimeSpan.Zero), _carId, _lastSpeed, _lastRpm, _lastGear, _lastLocation);
        var car = _ctx.Reference.Current.Lookup(_carId);
        return EnrichedSample.From(last, car, _ctx.Rules.Current.For(car?.BrandName, car?.ModelName).ExpectedGear(_lastSpeed));
    }

    private sealed class Producer(CarActorContext ctx) : IIndirectActorProducer
    {
        public Type ActorType => typeof(CarActor);

        public ActorBase Produce() => new CarActor(ctx);

        public void Release(ActorBase actor)
        {
        }
    }

    /// <summary>
    /// The outputs of one batch still on their way; replies once the last one is durable, or with the first failure.
    /// Counted down from the producer's delivery threads, hence the interlocked ops; starts at one so no early
    /// delivery can reply before every write of the batch has been issued (<see cref="Seal"/> removes that one).
    /// </summary>
    private sealed class PendingBatch(IActorRef replyTo, long sequence, PipelineMetrics metrics) : IOutputAck
    {
        private int _remaining = 1;
        private int _failed;
        private IReadOnlyList<Alert> _alerts = [];
        private IReadOnlyList<EventTrace>? _traces;

        public object? OutputState { get; set; }

        /// <summary>Called before each write is issued.</summary>
        public void Expect() => Interlocked.Increment(ref _remaining);

        public void Seal(IReadOnlyList<Alert> alerts, IReadOnlyList<EventTrace>? traces)
        {
            _alerts = alerts;
            _traces = traces;
            Written();
        }

        public void Delivered(bool alert)
        {
            if (alert) metrics.OnAlertProduced();
            else metrics.OnEnrichedProduced();
            Written();
        }

        public void Failed(Exception error)
        {
            if (Interlocked.Exchange(ref _failed, 1) == 0) replyTo.Tell(new Status.Failure(error));
        }

        private void Written()
        {
            if (Interlocked.Decrement(ref _remaining) == 0 && Volatile.Read(ref _failed) == 0)
                replyTo.Tell(new SamplesProcessed(sequence, _alerts, _traces));
        }
    }
}
