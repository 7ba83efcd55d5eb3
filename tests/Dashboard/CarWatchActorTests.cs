using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Placement;
using TrafficActors.Reference;
using TrafficActors.Web.Cars;
using TrafficActors.Web.Dashboard;
using Xunit;

namespace TrafficActors.Tests.Dashboard;

/// <summary>
/// The car panels' poller with a probe in place of the car region: a watched car is asked at once and then every
/// interval, answers go to its watchers only, asking stops with the last watcher, and both bounds hold.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class CarWatchActorTests : TestKit
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    // Generous for a loaded machine; a passing test waits far less.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);
    private static readonly DashboardSettings Settings = new(
        TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), 50, Interval, MaxCarsPerConnection: 2, MaxWatchedCars: 3);
    private static readonly CarPlacement Placement = new(CarPlacementMode.Hash, 12, PartitionerKind.Consistent, 12, TimeSpan.FromSeconds(1));

    private readonly TestProbe _cars;
    private readonly IActorRef _watch;
    private readonly ConcurrentQueue<(string[] Connections, CarDetails Car)> _pushes = new();
    private readonly long[] _fleet = SeedFleet.Cars(20).Select(c => c.CarId).ToArray();

    public CarWatchActorTests()
    {
        _cars = CreateTestProbe();
        var query = new CarQuery(_cars.Ref, new CarMessageExtractor(Placement), new ReferenceDataStore(SeedFleet.Snapshot(20)), TimeSpan.FromSeconds(3));
        _watch = Sys.ActorOf(CarWatchActor.Props(_cars.Ref, query, (connections, car) =>
        {
            _pushes.Enqueue((connections.Order(StringComparer.Ordinal).ToArray(), car));
            return Task.CompletedTask;
        }, Settings));
    }

    private CarWatchReply Watch(string connection, long car)
    {
        _watch.Tell(new WatchCar(connection, car));
        return ExpectMsg<CarWatchReply>();
    }

    private static CarStatus Status(long car, long samples) => new(
        car, $"akka.tcp://traffic@127.0.0.1:4053/system/sharding/car/3/{car.ToString(CultureInfo.InvariantCulture)}", samples, 0,
        [], null, "v1", [new TracePoint(DateTimeOffset.UnixEpoch, 50, 2000, 2)]);

    [Fact]
    public void A_watched_car_is_asked_at_once_and_every_interval_and_its_answers_go_to_its_watchers()
    {
        var car = _fleet[0];
        Assert.Null(Watch("a", car).Refusal);
        Assert.Equal(car, _cars.ExpectMsg<GetCarStatus>().CarId);
        Assert.Null(Watch("b", car).Refusal);
        // Asked again at once for the second watcher, then on every tick: several asks within a few intervals.
        _cars.ExpectMsg<GetCarStatus>();
        _cars.ExpectMsg<GetCarStatus>(Patience);
        _cars.ExpectMsg<GetCarStatus>(Patience);

        _watch.Tell(Status(car, 7), _cars.Ref);
        AwaitCondition(() => !_pushes.IsEmpty);
        var (connections, pushed) = Assert.Single(_pushes);
        Assert.Equal(["a", "b"], connections);
        Assert.Equal((car, 7L, "akka.tcp://traffic@127.0.0.1:4053"), (pushed.CarId, pushed.Samples, pushed.Node));
        Assert.Equal(SeedFleet.Snapshot(20).Lookup(car)!.ColorName, pushed.ColorName);
        Assert.Equal(new CarMessageExtractor(Placement).ShardId(car.ToString(CultureInfo.InvariantCulture)), pushed.ShardId);
    }

    [Fact]
    public void Polling_stops_when_the_last_watcher_leaves_or_disconnects()
    {
        var (first, second) = (_fleet[0], _fleet[1]);
        Watch("a", first);
        Watch("b", first);
        Watch("b", second);
        _watch.Tell(new UnwatchCar("a", first));
        _watch.Tell(new WatcherGone("b"));
        // Once the actor has handled both (Identify is answered in mailbox order), whatever it asked before is
        // drained, and nothing is asked after.
        _watch.Tell(new Identify(1));
        ExpectMsg<ActorIdentity>();
        _cars.ReceiveWhile(Interval, m => m as GetCarStatus);
        _cars.ExpectNoMsg(Interval * 4);

        // An answer arriving after that is not pushed to anyone.
        _watch.Tell(Status(first, 1), _cars.Ref);
        Watch("c", _fleet[2]);
        _cars.FishForMessage<GetCarStatus>(m => m.CarId == _fleet[2]);
        Assert.Empty(_pushes);
    }

    [Fact]
    public void A_connection_watches_at_most_its_bound_and_the_node_at_most_its_own()
    {
        Assert.Null(Watch("a", _fleet[0]).Refusal);
        Assert.Null(Watch("a", _fleet[1]).Refusal);
        Assert.Null(Watch("a", _fleet[1]).Refusal); // again: no change, no refusal
        Assert.Contains("at most 2 cars", Watch("a", _fleet[2]).Refusal);

        Assert.Null(Watch("b", _fleet[2]).Refusal);
        Assert.Contains("max-watched-cars", Watch("b", _fleet[3]).Refusal);
        // A car already polled costs nothing more, so another watcher is welcome.
        Assert.Null(Watch("b", _fleet[0]).Refusal);

        // Freed by a disconnect, the room is there again.
        _watch.Tell(new WatcherGone("a"));
        Assert.Null(Watch("c", _fleet[3]).Refusal);
    }
}
