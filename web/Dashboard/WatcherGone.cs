namespace TrafficActors.Web.Dashboard;

/// <summary>Hub connection <paramref name="ConnectionId"/> closed: it watches nothing any more.</summary>
public sealed record WatcherGone(string ConnectionId);
