using Akka.Actor;
using Akka.TestKit.Xunit2;
using TrafficActors.Cars;
using TrafficActors.Settings;
using TrafficActors.Domain;
using TrafficActors.Management;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Cars;

public sealed class CarActorTests() : TestKit(CarSystemConfig.Mailbox)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 10, TimeSpan.Zero);
    private static readonly WindowSettings Windows = new(TimeSpan.FromMinutes(1), 4, 10, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), 10, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), 100, 100, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));
    private readonly RecordingOutputs _outputs = new();
    private readonly PipelineMetrics _metrics = new();
    private readonly ReferenceDataStore _reference = new(SeedFleet.Snapshot(20));
    private readonly long _knownCar = SeedFleet.Cars(20)[3].CarId;

    private IActorRef Car(long carId, IActorRef windows, OutputSettings? outputs = null, TimeSpan? windowRetry = null) =>
        Sys.ActorOf(CarActor.Props(carId.ToString(System.Globalization.CultureInfo.InvariantCulture), new CarActorContext(
            new RuleEngine(RuleSettings.SeedDefaults), _reference, _outputs, outputs ?? new OutputSettings(true, true),
            windows, Windows, _metrics, TimeSpan.FromMinutes(5), windowRetry ?? TimeSpan.FromSeconds(3))), carId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static RawEvent Event(long car, string id, double speed, int rpm, int gear, double seconds = 0) =>
        new(id, T0.AddSeconds(seconds), car, speed, rpm, gear);

    [Fact]
    public void Clean_event_is_enriched_produced_and_acknowledged_without_touching_windows()
    {
        var windows = CreateTestProbe();
        var car = Car(_knownCar, windows);
        car.Tell(new ProcessSample(Event(_knownCar, "e1", 60, 2500, 2)));
        var reply = ExpectMsg<SampleProcessed>();
        Assert.Equal("e1", reply.EventId);
        Assert.Empty(reply.Violations);
        windows.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

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
    public void Alert_is_produced_and_counted_before_the_reply()
    {
        var windows = CreateTestProbe();
        var car = Car(_knownCar, windows);
        car.Tell(new ProcessSample(Event(_knownCar, "e2", 150, 7000, 3)));

        var count = windows.ExpectMsg<CountAlert>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // not acknowledged until the window counted it
        Assert.Equal(WindowKey.For(T0, _knownCar, Windows.Length, Windows.Buckets).EntityId, count.WindowId);
        Assert.Equal([RuleNames.Overspeed, RuleNames.WrongGear, RuleNames.EngineStress], count.Alert.Violations);
        windows.Reply(new AlertCounted("e2", WindowDecision.Count));

        var reply = ExpectMsg<SampleProcessed>();
        Assert.Equal(3, reply.Violations.Count);
        var alert = Assert.Single(_outputs.Alerts);
        Assert.Equal(5, alert.ExpectedGear);
        Assert.Equal(_reference.Current.Lookup(_knownCar)!.ColorName, alert.ColorName);
        Assert.Equal(1, _metrics.Alerts);
    }

    [Fact]
    public void A_handed_off_car_stops_only_after_the_window_answered_its_alerts()
    {
        var windows = CreateTestProbe();
        var car = Car(_knownCar, windows);
        Watch(car);
        car.Tell(new ProcessSample(Event(_knownCar, "h1", 150, 7000, 3)));
        windows.ExpectMsg<CountAlert>();

        // The shard moves while the alert is being counted: the car keeps running until the answer is in.
        car.Tell(HandOffCar.Instance);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        windows.Reply(new AlertCounted("h1", WindowDecision.Count));
        Assert.Equal("h1", ExpectMsg<SampleProcessed>().EventId);
        ExpectTerminated(car);
    }

    [Fact]
    public void An_alert_whose_window_does_not_answer_is_sent_again_and_acknowledged_once()
    {
        var windows = CreateTestProbe();
        var car = Car(_knownCar, windows, windowRetry: TimeSpan.FromMilliseconds(300));
        car.Tell(new ProcessSample(Event(_knownCar, "r1", 150, 7000, 3)));
        var first = windows.ExpectMsg<CountAlert>();

        // The first copy went to a window on a node that died: no answer, so the car sends it again.
        var again = windows.ExpectMsg<CountAlert>(TimeSpan.FromSeconds(3));
        Assert.Same(first, again);
        Assert.True(_metrics.WindowRetries >= 1);
        windows.Reply(new AlertCounted("r1", WindowDecision.Count));
        Assert.Equal("r1", ExpectMsg<SampleProcessed>().EventId);

        // Answered: no more copies, and a late answer to an earlier copy changes nothing.
        windows.ExpectNoMsg(TimeSpan.FromMilliseconds(700));
        car.Tell(new AlertCounted("r1", WindowDecision.Duplicate), windows.Ref);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_handed_off_car_with_nothing_outstanding_stops_at_once()
    {
        var car = Car(_knownCar, CreateTestProbe());
        Watch(car);
        car.Tell(new ProcessSample(Event(_knownCar, "h2", 60, 2500, 2)));
        ExpectMsg<SampleProcessed>();
        car.Tell(HandOffCar.Instance);
        ExpectTerminated(car);
    }

    [Fact]
    public void Unknown_car_is_still_detected_with_empty_enrichment_and_counted()
    {
        var windows = CreateTestProbe();
        var car = Car(42, windows);
        car.Tell(new ProcessSample(Event(42, "e3", 130, 3000, 4)));
        var count = windows.ExpectMsg<CountAlert>();
        windows.Reply(new AlertCounted("e3", WindowDecision.Count));
        ExpectMsg<SampleProcessed>();
        Assert.Null(count.Alert.ColorName);
        Assert.Null(count.Alert.DriverId);
        Assert.Null(Assert.Single(_outputs.Enriched).BrandName);
        Assert.Equal(1, _metrics.UnknownCars);
    }

    [Fact]
    public void Stateful_rules_use_the_cars_history()
    {
        var windows = CreateTestProbe();
        var car = Car(_knownCar, windows, new OutputSettings(false, true));
        car.Tell(new ProcessSample(Event(_knownCar, "a", 100, 3000, 3, 0)));
        Assert.Empty(ExpectMsg<SampleProcessed>().Violations);
        car.Tell(new ProcessSample(Event(_knownCar, "b", 50, 2000, 2, 2)));
        Assert.Equal([RuleNames.HarshBraking], windows.ExpectMsg<CountAlert>().Alert.Violations);
        windows.Reply(new AlertCounted("b", WindowDecision.Count));
        Assert.Equal([RuleNames.HarshBraking], ExpectMsg<SampleProcessed>().Violations);
        Assert.Empty(_outputs.Enriched); // enriched output switched off
    }

    [Fact]
    public void A_failed_write_is_reported_to_the_sender_so_the_offset_is_not_marked()
    {
        _outputs.FailWith = new InvalidOperationException("broker gone");
        var car = Car(_knownCar, CreateTestProbe());
        car.Tell(new ProcessSample(Event(_knownCar, "e4", 60, 2500, 2)));
        var failure = ExpectMsg<Status.Failure>();
        Assert.Contains("broker gone", failure.Cause.GetBaseException().Message);
    }

    [Fact]
    public void Status_reports_last_sample_and_alert_counts()
    {
        var windows = CreateTestProbe();
        var car = Car(_knownCar, windows);
        car.Tell(new ProcessSample(Event(_knownCar, "s1", 130, 3000, 4)));
        windows.ExpectMsg<CountAlert>();
        windows.Reply(new AlertCounted("s1", WindowDecision.Count));
        ExpectMsg<SampleProcessed>();
        car.Tell(new GetCarStatus(_knownCar));
        var status = ExpectMsg<CarStatus>();
        Assert.Equal(1, status.Samples);
        Assert.Equal(1, status.Alerts);
        Assert.Equal(1, status.AlertsByRule[RuleNames.Overspeed]);
        Assert.Equal("s1", status.LastSample!.EventId);
    }
}
