namespace TrafficActors.Web.Dashboard;

/// <summary>Hub connection <paramref name="ConnectionId"/> no longer shows the car; unanswered.</summary>
public sealed record UnwatchCar(string ConnectionId, long CarId);
