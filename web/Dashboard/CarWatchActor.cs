using Akka.Actor;
using Akka.Event;
using Microsoft.AspNetCore.SignalR;
using TrafficActors.Cars;
using TrafficActors.Web.Cars;

namespace TrafficActors.Web.Dashboard;

/// <summary>
/// The car panels open on this node's dashboard pages: which hub connections watch which cars. While at least one
/// connection watches a car, the car's actor is asked for its status every poll interval and the answer is pushed
/// to those connections only; the last watcher leaving (or disconnecting) ends the polling, so a car nobody looks at
/// costs nothing. Both bounds (cars per connection, cars per node) hold whatever a client sends.
/// </summary>
public sealed class CarWatchActor : ReceiveActor, IWithTimers
{
    private const string PollKey = "poll";

    private readonly IActorRef _cars;
    private readonly CarQuery _query;
    private readonly Func<IReadOnlyList<string>, CarDetails, Task> _push;
    private readonly DashboardSettings _settings;
    private readonly Dictionary<long, HashSet<string>> _watchers = [];
    private readonly Dictionary<string, HashSet<long>> _watching = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <param name="cars">The car shard region (or its proxy).</param>
    /// <param name="query">Turns a car's status into its drill-down.</param>
    /// <param name="push">Sends a car's drill-down to the given hub connections.</param>
    /// <param name="settings">Poll interval and bounds.</param>
    public CarWatchActor(IActorRef cars, CarQuery query, Func<IReadOnlyList<string>, CarDetails, Task> push, DashboardSettings settings)
    {
        _cars = cars;
        _query = query;
        _push = push;
        _settings = settings;
        Receive<WatchCar>(w => Sender.Tell(Watch(w.ConnectionId, w.CarId)));
        Receive<UnwatchCar>(u => Unwatch(u.ConnectionId, u.CarId));
        Receive<WatcherGone>(g =>
        {
            if (!_watching.TryGetValue(g.ConnectionId, out var cars)) return;
            foreach (var car in cars.ToArray()) Unwatch(g.ConnectionId, car);
        });
        Receive<PollWatchedCars>(_ =>
        {
            foreach (var car in _watchers.Keys) _cars.Tell(new GetCarStatus(car));
        });
        Receive<CarStatus>(Push);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Pushing through the hub, to the <see cref="TrafficHub.CarMethod"/> client method.</summary>
    public static Props Props(IActorRef cars, CarQuery query, IHubContext<TrafficHub> hub, DashboardSettings settings) =>
        Props(cars, query, (connections, car) => hub.Clients.Clients(connections).SendAsync(TrafficHub.CarMethod, car), settings);

    public static Props Props(IActorRef cars, CarQuery query, Func<IReadOnlyList<string>, CarDetails, Task> push, DashboardSettings settings) =>
        Akka.Actor.Props.Create(() => new CarWatchActor(cars, query, push, settings));

    private CarWatchReply Watch(string connection, long car)
    {
        var mine = _watching.GetValueOrDefault(connection);
        if (mine?.Contains(car) == true) return CarWatchReply.Accepted;
        if (mine?.Count >= _settings.MaxCarsPerConnection)
            return new CarWatchReply($"a connection watches at most {_settings.MaxCarsPerConnection} cars at once: unsubscribe one first");
        if (!_watchers.ContainsKey(car) && _watchers.Count >= _settings.MaxWatchedCars)
            return new CarWatchReply($"this node already follows {_settings.MaxWatchedCars} cars, its limit (traffic.dashboard.max-watched-cars)");

        if (mine is null) _watching[connection] = mine = [];
        mine.Add(car);
        if (!_watchers.TryGetValue(car, out var watchers)) _watchers[car] = watchers = new HashSet<string>(StringComparer.Ordinal);
        watchers.Add(connection);
        // The new watcher gets the car at once rather than at the next poll.
        _cars.Tell(new GetCarStatus(car));
        if (!Timers.IsTimerActive(PollKey)) Timers.StartPeriodicTimer(PollKey, PollWatchedCars.Instance, _settings.CarPollInterval);
        _log.Debug("Car {0} watched by {1} connection(s); {2} car(s) polled", car, watchers.Count, _watchers.Count);
        return CarWatchReply.Accepted;
    }

    private void Unwatch(string connection, long car)
    {
        if (_watching.TryGetValue(connection, out var mine) && mine.Remove(car) && mine.Count == 0) _watching.Remove(connection);
        if (_watchers.TryGetValue(car, out var watchers) && watchers.Remove(connection) && watchers.Count == 0) _watchers.Remove(car);
        if (_watchers.Count == 0) Timers.Cancel(PollKey);
    }

    private void Push(CarStatus status)
    {
        // Unwatched meanwhile, or dropped from the reference data since it was watched: nothing to show.
        if (!_watchers.TryGetValue(status.CarId, out var watchers) || _query.Known(status.CarId) is not { } car) return;
        var details = _query.Details(status, car);
        // Not awaited: a slow page must not hold up the others. A push lost to a closing connection is
        // replaced by the next one, one poll interval later.
        _ = _push(watchers.ToArray(), details);
    }
}
