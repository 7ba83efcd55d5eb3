namespace TrafficActors.Web.Dashboard;

/// <summary>A node's recent events/s, published on <see cref="NodeRatePublisher.Topic"/> for the cluster panel.</summary>
public sealed record NodeRate(string Node, double EventsPerSecond);
