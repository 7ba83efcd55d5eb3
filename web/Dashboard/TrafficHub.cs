using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.SignalR;
using TrafficActors.Domain;
using TrafficActors.Web.Cars;

namespace TrafficActors.Web.Dashboard;

/// <summary>
/// The dashboard's push channel. Pages mostly listen: the figures come from <see cref="DashboardRelayActor"/>
/// through <c>IHubContext</c>. The only calls a client can make are <see cref="SubscribeCar"/> and
/// <see cref="UnsubscribeCar"/>, which change nothing but what this connection is sent: an id is checked like in
/// the API, a car must be in the reference data (so no call starts an actor for an unknown id), and
/// <see cref="CarWatchActor"/> bounds the cars per connection and per node. SignalR refuses any other method.
/// </summary>
public sealed class TrafficHub(CarQuery cars, IRequiredActor<CarWatchActor> watch) : Hub
{
    /// <summary>Route the hub is mapped to.</summary>
    public const string Path = "/hubs/traffic";

    /// <summary>Client method that receives a <see cref="DashboardUpdate"/>.</summary>
    public const string UpdateMethod = "update";

    /// <summary>Client method that receives the <see cref="CarDetails"/> of a car the connection watches.</summary>
    public const string CarMethod = "car";

    /// <summary>
    /// Pushes <paramref name="carId"/>'s drill-down to this connection every traffic.dashboard.car-poll-interval (the
    /// first at once) until <see cref="UnsubscribeCar"/> or the connection closes. Refused, with the reason, for a
    /// malformed or unknown id, or beyond a bound.
    /// </summary>
    public async Task<CarSubscription> SubscribeCar(string carId)
    {
        if (!CarIds.TryParse(carId, out var id, out var error)) return CarSubscription.Refused(error);
        if (cars.Known(id) is null) return CarSubscription.Refused(cars.NotFound(id));
        var reply = await watch.ActorRef.Ask<CarWatchReply>(new WatchCar(Context.ConnectionId, id), cars.AskTimeout, Context.ConnectionAborted);
        return reply.Refusal is { } refusal ? CarSubscription.Refused(refusal) : new CarSubscription(true, null);
    }

    /// <summary>Stops the pushes of <paramref name="carId"/> to this connection (nothing happens if it had none); refused for a malformed id.</summary>
    public CarSubscription UnsubscribeCar(string carId)
    {
        if (!CarIds.TryParse(carId, out var id, out var error)) return CarSubscription.Refused(error);
        watch.ActorRef.Tell(new UnwatchCar(Context.ConnectionId, id));
        return new CarSubscription(false, null);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        watch.ActorRef.Tell(new WatcherGone(Context.ConnectionId));
        return base.OnDisconnectedAsync(exception);
    }
}
