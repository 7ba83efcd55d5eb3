using Akka.Actor;
using Akka.TestKit.Xunit2;
using TrafficActors.Cars;
using TrafficActors.Settings;
using TrafficActors.Domain;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Cars;

[Trait(Tier.Name, Tier.Fast)]
public sealed class CarActorTests() : TestKit(CarSystemConfig.Mailbox)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 10, TimeSpan.Zero);
    private readonly RecordingOutputs _outputs = new();
    private readonly PipelineMetrics _metrics = new();
    private readonly ReferenceDataStore _reference = new(SeedFleet.Snapshot(20));
    private readonly long _knownCar = SeedFleet.Cars(20)[3].CarId;

    // Small enough that the tests below fill and wrap the ring.
    private static readonly TraceLimits Trace = new(4, TimeSpan.FromSeconds(30));

    private IActorRef Car(long carId, OutputSettings? outputs = null, TraceLimits? trace = null) =>
        Sys.ActorOf(CarActor.Props(carId.ToString(System.Globalization.CultureInfo.InvariantCulture), new CarActorContext(
            new RuleSetStore(RuleSet.FromDefaults(RuleSettings.SeedDefaults), "test"), _reference, _outputs, outputs ?? new OutputSettings(true, true, true),
            _metrics, trace ?? Trace)), carId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static RawEvent Event(long car, string id, double speed, int rpm, int gear, double seconds = 0) =>
        new(id, T0.AddSeconds(seconds), car, speed, rpm, gear);

    [Fact]
    public void Clean_event_is_enriched_produced_and_acknowledged_with_no_alert()
    {
        var car = Car(_knownCar);
        car.Tell(ProcessSamples.Of(Event(_knownCar, "e1", 60, 2500, 2), sequence: 7));
        var reply = ExpectMsg<SamplesProcessed>();
        Assert.Equal(7, reply.Sequence);
        Assert.Empty(reply.Alerts);

        var sample = Assert.Single(_outputs.Enriched);
        var info = _reference.Current.Lookup(_knownCar)!;
        Assert.Equal(info.DriverId, sample.DriverId);
        Assert.Equal(info.BrandName, sample.BrandName);
        Assert.Equal(info.ModelName, sample.ModelName);
        Assert.Equal(info.ColorName, sample.ColorName);
        Assert.Equal(2, sample.ExpectedGear);
        Assert.Empty(_outputs.Alerts);
    }

    [Fact]
    public void Alert_is_produced_and_handed_back_only_once_every_write_is_acknowledged()
    {
        _outputs.Hold = true;
        var car = Car(_knownCar);
        car.Tell(ProcessSamples.Of(Event(_knownCar, "e2", 150, 7000, 3)));

        AwaitCondition(() => _outputs.Alerts.Count == 1 && _outputs.Enriched.Count == 1);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // the broker has not acknowledged yet
        _outputs.Release();

        var alert = Assert.Single(ExpectMsg<SamplesProcessed>().Alerts);
        Assert.Equal("e2", alert.Sample.EventId);
        Assert.Equal([RuleNames.Overspeed, RuleNames.WrongGear, RuleNames.EngineStress], alert.Violations);
        Assert.Equal(5, alert.Sample.ExpectedGear);
        Assert.Equal(_reference.Current.Lookup(_knownCar)!.ColorName, alert.Sample.ColorName);
        Assert.Same(alert, Assert.Single(_outputs.Alerts));
        Assert.Equal(1, _metrics.Alerts);
    }

    [Fact]
    public void A_batch_is_processed_in_order_with_one_reply_carrying_its_alerts_in_event_order()
    {
        var car = Car(_knownCar, new OutputSettings(true, true, true));
        // Harsh braking needs the previous sample: it must see "b1" before "b2" inside one batch, and "b2" before
        // "c1" across batches.
        var batch = new[]
        {
            Event(_knownCar, "b1", 100, 3000, 3, 0), Event(_knownCar, "b2", 50, 2000, 2, 2),
            Event(_knownCar, "b3", 150, 7000, 3, 4), Event(_knownCar, "b4", 60, 2500, 2, 6),
        };
        car.Tell(new ProcessSamples(_knownCar, batch, 11));
        var reply = ExpectMsg<SamplesProcessed>();
        Assert.Equal(11, reply.Sequence);
        Assert.Equal(["b2", "b3", "b4"], reply.Alerts.Select(a => a.Sample.EventId));
        Assert.Equal([RuleNames.HarshBraking], reply.Alerts[0].Violations);
        Assert.Equal(["b1", "b2", "b3", "b4"], _outputs.Enriched.Select(s => s.EventId));

        car.Tell(new ProcessSamples(_knownCar, [Event(_knownCar, "c1", 60, 2500, 2, 8)], 12));
        Assert.Empty(ExpectMsg<SamplesProcessed>().Alerts);
        car.Tell(new GetCarStatus(_knownCar));
        var status = ExpectMsg<CarStatus>();
        Assert.Equal(5, status.Samples);
        Assert.Equal(3, status.Alerts);
        Assert.Equal("c1", status.LastSample!.EventId);
    }

    [Fact]
    public void Unknown_car_is_still_detected_with_empty_enrichment()
    {
        var car = Car(42);
        car.Tell(ProcessSamples.Of(Event(42, "e3", 130, 3000, 4)));
        var alert = Assert.Single(ExpectMsg<SamplesProcessed>().Alerts);
        Assert.Null(alert.Sample.ColorName);
        Assert.Null(alert.Sample.DriverId);
        Assert.Null(Assert.Single(_outputs.Enriched).BrandName);
        Assert.Equal(1, _metrics.UnknownCars);
    }

    [Fact]
    public void Stateful_rules_use_the_cars_history()
    {
        var car = Car(_knownCar, new OutputSettings(false, true, true));
        car.Tell(ProcessSamples.Of(Event(_knownCar, "a", 100, 3000, 3, 0)));
        Assert.Empty(ExpectMsg<SamplesProcessed>().Alerts);
        car.Tell(ProcessSamples.Of(Event(_knownCar, "b", 50, 2000, 2, 2)));
        Assert.Equal([RuleNames.HarshBraking], Assert.Single(ExpectMsg<SamplesProcessed>().Alerts).Violations);
        Assert.Empty(_outputs.Enriched); // enriched output switched off
    }

    [Fact]
    public void Alerts_switched_off_are_still_handed_back_for_counting()
    {
        var car = Car(_knownCar, new OutputSettings(false, false, true));
        car.Tell(ProcessSamples.Of(Event(_knownCar, "q", 150, 7000, 3)));
        Assert.Equal("q", Assert.Single(ExpectMsg<SamplesProcessed>().Alerts).Sample.EventId);
        Assert.Empty(_outputs.Alerts);
    }

    [Fact]
    public void A_failed_write_is_reported_once_for_the_batch_so_no_offset_is_marked()
    {
        _outputs.FailWith = new InvalidOperationException("broker gone");
        var car = Car(_knownCar);
        car.Tell(new ProcessSamples(_knownCar, [Event(_knownCar, "f1", 60, 2500, 2), Event(_knownCar, "f2", 150, 7000, 3, 1)], 3));
        var failure = ExpectMsg<Status.Failure>();
        Assert.Contains("broker gone", failure.Cause.GetBaseException().Message);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Status_reports_last_sample_and_alert_counts()
    {
        var car = Car(_knownCar);
        car.Tell(ProcessSamples.Of(Event(_knownCar, "s1", 130, 3000, 4)));
        ExpectMsg<SamplesProcessed>();
        car.Tell(new GetCarStatus(_knownCar));
        var status = ExpectMsg<CarStatus>();
        Assert.Equal(1, status.Samples);
        Assert.Equal(1, status.Alerts);
        Assert.Equal(1, status.AlertsByRule[RuleNames.Overspeed]);
        Assert.Equal("s1", status.LastSample!.EventId);
    }

    [Fact]
    public void A_car_seen_once_has_no_trace_but_its_last_sample_and_no_alert_counts()
    {
        var car = Car(_knownCar);
        car.Tell(new GetCarStatus(_knownCar));
        var fresh = ExpectMsg<CarStatus>();
        Assert.Empty(fresh.Trace);
        Assert.Null(fresh.LastSample);

        car.Tell(ProcessSamples.Of(Event(_knownCar, "o1", 60.5, 2500, 2)));
        ExpectMsg<SamplesProcessed>();
        car.Tell(new GetCarStatus(_knownCar));
        var status = ExpectMsg<CarStatus>();
        Assert.Equal([new TracePoint(T0, 60.5, 2500, 2)], status.Trace);
        Assert.Empty(status.AlertsByRule);
    }

    [Fact]
    public void The_trace_keeps_the_last_samples_across_batches_and_drops_the_oldest()
    {
        var car = Car(_knownCar);
        // One sample, then a batch that starts the ring with it, then more than the ring holds.
        car.Tell(ProcessSamples.Of(Event(_knownCar, "t0", 30, 1500, 1, 0)));
        ExpectMsg<SamplesProcessed>();
        car.Tell(new ProcessSamples(_knownCar, [Event(_knownCar, "t1", 60.1, 2500, 2, 1), Event(_knownCar, "t2", 90.2, 3000, 3, 2)], 1));
        ExpectMsg<SamplesProcessed>();
        car.Tell(new GetCarStatus(_knownCar));
        Assert.Equal(
            [new TracePoint(T0, 30, 1500, 1), new TracePoint(T0.AddSeconds(1), 60.1, 2500, 2), new TracePoint(T0.AddSeconds(2), 90.2, 3000, 3)],
            ExpectMsg<CarStatus>().Trace);

        car.Tell(new ProcessSamples(_knownCar, [Event(_knownCar, "t3", 123.4, 6500, 4, 3), Event(_knownCar, "t4", 150, 7000, 5, 4)], 2));
        ExpectMsg<SamplesProcessed>();
        car.Tell(new GetCarStatus(_knownCar));
        var status = ExpectMsg<CarStatus>();
        Assert.Equal(
            [new TracePoint(T0.AddSeconds(1), 60.1, 2500, 2), new TracePoint(T0.AddSeconds(2), 90.2, 3000, 3), new TracePoint(T0.AddSeconds(3), 123.4, 6500, 4), new TracePoint(T0.AddSeconds(4), 150, 7000, 5)],
            status.Trace);
        Assert.Equal(5, status.Samples);
        Assert.Equal("t4", status.LastSample!.EventId);
        Assert.Equal(new Dictionary<string, long> { [RuleNames.Overspeed] = 2, [RuleNames.EngineStress] = 2 }, status.AlertsByRule);
    }

    [Fact]
    public void The_trace_shows_only_the_span_before_the_newest_sample_in_event_time_order()
    {
        var car = Car(_knownCar, trace: new TraceLimits(8, TimeSpan.FromSeconds(10)));
        // A late sample (t=5 after t=20) takes its place by time; t=0 is more than 10 s before the newest.
        car.Tell(new ProcessSamples(_knownCar, [Event(_knownCar, "a", 40, 2000, 1, 0), Event(_knownCar, "b", 50, 2000, 2, 12), Event(_knownCar, "c", 70, 2500, 2, 20), Event(_knownCar, "d", 45, 1800, 2, 15)], 1));
        ExpectMsg<SamplesProcessed>();
        car.Tell(new GetCarStatus(_knownCar));
        Assert.Equal([T0.AddSeconds(12), T0.AddSeconds(15), T0.AddSeconds(20)], ExpectMsg<CarStatus>().Trace.Select(p => p.EventTime));
    }

    [Fact]
    public void With_no_trace_configured_a_car_reports_its_last_sample_as_its_trace()
    {
        var car = Car(_knownCar, trace: new TraceLimits(0, TimeSpan.FromMinutes(1)));
        car.Tell(new ProcessSamples(_knownCar, [Event(_knownCar, "n1", 50, 2000, 2, 0), Event(_knownCar, "n2", 65, 2600, 2, 1)], 1));
        ExpectMsg<SamplesProcessed>();
        car.Tell(new GetCarStatus(_knownCar));
        Assert.Equal([new TracePoint(T0.AddSeconds(1), 65, 2600, 2)], ExpectMsg<CarStatus>().Trace);
    }
}
