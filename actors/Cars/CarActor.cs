using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;
using TrafficActors.Domain;
using TrafficActors.Rules;
using TrafficActors.Windows;

namespace TrafficActors.Cars;

/// <summary>
/// One car. Enriches each sample from the node's reference cache, applies the rules with the car's own memory
/// (stateful rules), writes the outputs and replies once they are all durable. Rule state changes in message
/// order; the outputs of consecutive samples may be in flight together.
/// </summary>
public sealed class CarActor : ReceiveActor
{
    private readonly long _carId;
    private readonly CarActorContext _ctx;
    private readonly Dictionary<string, long> _alertsByRule = new(StringComparer.Ordinal);
    private CarRuleState _ruleState = CarRuleState.Initial;
    private EnrichedSample? _last;
    private long _samples;
    private long _alerts;

    public CarActor(long carId, CarActorContext ctx)
    {
        _carId = carId;
        _ctx = ctx;
        Receive<ProcessSample>(Process);
        Receive<GetCarStatus>(_ => Sender.Tell(Status()));
        Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
    }

    public static Props Props(string entityId, CarActorContext ctx) =>
        Akka.Actor.Props.Create(() => new CarActor(long.Parse(entityId, CultureInfo.InvariantCulture), ctx));

    protected override void PreStart() => Context.SetReceiveTimeout(_ctx.IdleTimeout);

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

        var pending = new List<Task>(3);
        if (_ctx.OutputSettings.Enriched) pending.Add(Produced(_ctx.Outputs.PublishEnriched(sample), _ctx.Metrics.OnEnrichedProduced));
        if (verdict.IsAlert)
        {
            _alerts++;
            foreach (var rule in verdict.Violations) _alertsByRule[rule] = _alertsByRule.GetValueOrDefault(rule) + 1;
            _ctx.Metrics.OnAlert();
            var alert = Alert.From(sample, verdict.Violations);
            if (_ctx.OutputSettings.Alerts) pending.Add(Produced(_ctx.Outputs.PublishAlert(alert), _ctx.Metrics.OnAlertProduced));
            var key = WindowKey.For(e.EventTime, e.CarId, _ctx.Windows.Length, _ctx.Windows.Buckets);
            pending.Add(_ctx.WindowRegion.Ask<AlertCounted>(
                new CountAlert(key.EntityId, key.Start, _ctx.Windows.Length, alert), _ctx.WindowAskTimeout));
        }

        var reply = new SampleProcessed(e.EventId, verdict.Violations);
        if (pending.Count == 0)
        {
            Sender.Tell(reply);
            return;
        }

        Task.WhenAll(pending).PipeTo(Sender, success: () => reply, failure: ex => new Status.Failure(ex));
    }

    private static async Task Produced(Task write, Action onDone)
    {
        await write.ConfigureAwait(false);
        onDone();
    }

    private CarStatus Status() => new(
        _carId, Self.Path.ToStringWithAddress(((ExtendedActorSystem)Context.System).Provider.DefaultAddress), _samples, _alerts, new Dictionary<string, long>(_alertsByRule), _last,
        _ctx.Reference.Current.Version);
}
