using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using TrafficActors.Domain;
using TrafficActors.Management;
using TrafficActors.Rules;
using TrafficActors.Windows;

namespace TrafficActors.Cars;

/// <summary>
/// One car. Enriches each sample from the node's reference cache, applies the rules with the car's own memory
/// (stateful rules), writes the outputs and replies once they are all durable. Rule state changes in message
/// order; the outputs of consecutive samples may be in flight together.
/// <para>
/// Hot path: no ask and no task combinators per sample. Output writes report straight to a small per-sample
/// countdown, the window bucket answers this actor (it is the CountAlert's sender), and the countdown replies to
/// the ingest stream when the last output is durable. An untyped actor with lazily created collections keeps an
/// idle car (the common state of most of a large fleet) small.
/// </para>
/// </summary>
public sealed class CarActor : UntypedActor
{
    private readonly long _carId;
    private readonly CarActorContext _ctx;
    private Dictionary<string, long>? _alertsByRule;
    private WindowWaits? _waits;
    private CarRuleState _ruleState = CarRuleState.Initial;
    private EnrichedSample? _last;
    private long _samples;
    private long _alerts;
    private long _lastActive = Environment.TickCount64;

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

    /// <summary>
    /// Idle passivation with one scheduled check per idle-timeout instead of a receive timeout: a receive timeout
    /// cancels and re-arms a cancelable timer on every message (CPU on the hot path, ~230 bytes per car).
    /// </summary>
    protected override void PreStart() => ScheduleIdleCheck(_ctx.IdleTimeout);

    // One uncancelled one-shot at a time (IWithTimers would add a timer scheduler object per car): after a stop
    // other than its own passivation, the car's last check reaches dead letters once, silently.
#pragma warning disable AK1004
    private void ScheduleIdleCheck(TimeSpan after) =>
        Context.System.Scheduler.ScheduleTellOnce(after, Self, IdleCheck.Instance, ActorRefs.NoSender);
#pragma warning restore AK1004

    private void OnIdleCheck()
    {
        var idle = TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastActive);
        if (idle >= _ctx.IdleTimeout) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        else ScheduleIdleCheck(_ctx.IdleTimeout - idle);
    }

    protected override void OnReceive(object message)
    {
        if (message is IdleCheck)
        {
            OnIdleCheck();
            return;
        }

        if (message is RetryWindows retry)
        {
            OnRetryWindows(retry);
            return;
        }

        _lastActive = Environment.TickCount64;
        switch (message)
        {
            case ProcessSample sample:
                Process(sample);
                break;
            case AlertCounted counted:
                OnCounted(counted);
                break;
            case HandOffCar:
                if (_waits is null) Context.Stop(Self);
                else _waits.HandingOff = true;
                break;
            case GetCarStatus:
                Sender.Tell(Status());
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Process(ProcessSample msg)
    {
        var e = msg.Event;
        // A sender with a global-scope address lives on another node: this sample crossed the network.
        _ctx.Metrics.OnCarSample(Sender.Path.Address.HasGlobalScope);
        var car = _ctx.Reference.Current.Lookup(e.CarId);
        if (car is null) _ctx.Metrics.OnUnknownCar();

        var verdict = _ctx.Rules.Evaluate(_ruleState, e.EventTime, e.Speed, e.Rpm, e.Gear);
        _ruleState = verdict.NextState;
        var sample = EnrichedSample.From(e, car, verdict.ExpectedGear);
        _last = sample;
        _samples++;

        var reply = new SampleProcessed(e.EventId, verdict.Violations, msg.Sequence);
        var outputs = _ctx.OutputSettings;
        var writes = (outputs.Enriched ? 1 : 0) + (verdict.IsAlert ? (outputs.Alerts ? 2 : 1) : 0);
        if (writes == 0)
        {
            Sender.Tell(reply);
            return;
        }

        var pending = new PendingSample(Sender, reply, writes, _ctx.Metrics);
        if (outputs.Enriched) _ctx.Outputs.PublishEnriched(sample, pending);
        if (!verdict.IsAlert) return;

        _alerts++;
        _alertsByRule ??= new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var rule in verdict.Violations) _alertsByRule[rule] = _alertsByRule.GetValueOrDefault(rule) + 1;
        _ctx.Metrics.OnAlert();
        var alert = Alert.From(sample, verdict.Violations);
        if (outputs.Alerts) _ctx.Outputs.PublishAlert(alert, pending);
        var key = WindowKey.For(e.EventTime, e.CarId, _ctx.Windows.Length, _ctx.Windows.Buckets);
        pending.Count = new CountAlert(key.EntityId, key.Start, _ctx.Windows.Length, alert);
        AwaitWindow(e.EventId, pending);
        _ctx.WindowRegion.Tell(pending.Count, Self);
    }

    private void AwaitWindow(string eventId, PendingSample pending)
    {
        if (_waits is null)
        {
            _waits = new WindowWaits();
            ScheduleWindowRetry(_waits);
        }

        pending.SentAt = Environment.TickCount64;
        // The same event id twice in flight (a duplicate in the input): either answer proves the id durable.
        if (_waits.ById.TryGetValue(eventId, out var earlier)) pending.NextWithSameId = earlier;
        _waits.ById[eventId] = pending;
    }

    private void OnCounted(AlertCounted counted)
    {
        if (_waits is null || !_waits.ById.Remove(counted.EventId, out var pending)) return;
        if (pending.NextWithSameId is { } next) _waits.ById[counted.EventId] = next;
        pending.Written();
        if (_waits.ById.Count > 0) return;
        var handingOff = _waits.HandingOff;
        _waits = null;
        // Handed off while answers were outstanding: the shard has been waiting for this stop, buffering the car's
        // new messages meanwhile.
        if (handingOff) Context.Stop(Self);
    }

    /// <summary>
    /// Alerts whose window has not answered within the retry interval go again: the first copy may have gone to a
    /// node that died or to a window that was moving. Windows answer a copy once the first one is durable.
    /// </summary>
    private void OnRetryWindows(RetryWindows retry)
    {
        // A check scheduled for an earlier round of waits, which were all answered since.
        if (!ReferenceEquals(retry.Waits, _waits)) return;
        var now = Environment.TickCount64;
        var interval = (long)_ctx.WindowRetryInterval.TotalMilliseconds;
        foreach (var pending in _waits.ById.Values)
        {
            if (now - pending.SentAt < interval) continue;
            pending.SentAt = now;
            _ctx.Metrics.OnWindowRetry();
            _ctx.WindowRegion.Tell(pending.Count, Self);
        }

        ScheduleWindowRetry(_waits);
    }

#pragma warning disable AK1004 // one uncancelled one-shot per round of waits, as for the idle check
    private void ScheduleWindowRetry(WindowWaits waits) =>
        Context.System.Scheduler.ScheduleTellOnce(_ctx.WindowRetryInterval, Self, new RetryWindows(waits), ActorRefs.NoSender);
#pragma warning restore AK1004

    private CarStatus Status() => new(
        _carId, Self.Path.ToStringWithAddress(((ExtendedActorSystem)Context.System).Provider.DefaultAddress), _samples, _alerts,
        _alertsByRule is null ? new Dictionary<string, long>() : new Dictionary<string, long>(_alertsByRule), _last,
        _ctx.Reference.Current.Version);

    private sealed class IdleCheck : IDeadLetterSuppression
    {
        public static readonly IdleCheck Instance = new();
    }

    /// <summary>
    /// Alerts waiting for their window's answer. Created with the first one and dropped with the last, so an idle
    /// car carries none of this.
    /// </summary>
    private sealed class WindowWaits
    {
        public Dictionary<string, PendingSample> ById { get; } = new(StringComparer.Ordinal);

        /// <summary>The shard asked the car to stop; it does once the last answer is in.</summary>
        public bool HandingOff { get; set; }
    }

    private sealed record RetryWindows(WindowWaits Waits) : IDeadLetterSuppression;

    private sealed class Producer(CarActorContext ctx) : IIndirectActorProducer
    {
        public Type ActorType => typeof(CarActor);

        public ActorBase Produce() => new CarActor(ctx);

        public void Release(ActorBase actor)
        {
        }
    }

    /// <summary>
    /// The outputs of one sample still on their way; replies when the last one is durable, or with the first
    /// failure. Counted down from the producer's delivery threads and from this actor, hence the interlocked ops.
    /// </summary>
    private sealed class PendingSample(IActorRef replyTo, SampleProcessed reply, int writes, PipelineMetrics metrics) : IOutputAck
    {
        private int _remaining = writes;
        private int _failed;

        public PendingSample? NextWithSameId { get; set; }

        /// <summary>What was sent to the window (alert samples only), kept to send it again.</summary>
        public CountAlert Count { get; set; } = null!;

        /// <summary>When <see cref="Count"/> was last sent (Environment.TickCount64).</summary>
        public long SentAt { get; set; }

        public void Written()
        {
            if (Interlocked.Decrement(ref _remaining) == 0 && Volatile.Read(ref _failed) == 0) replyTo.Tell(reply);
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
    }
}
