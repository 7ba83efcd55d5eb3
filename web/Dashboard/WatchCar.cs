namespace TrafficActors.Web.Dashboard;

/// <summary>Hub connection <paramref name="ConnectionId"/> wants the pushes of a known car; answered with <see cref="CarWatchReply"/>.</summary>
public sealed record WatchCar(string ConnectionId, long CarId);
