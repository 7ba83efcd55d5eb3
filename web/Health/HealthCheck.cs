namespace TrafficActors.Web.Health;

/// <summary>One readiness condition and why it passed or failed.</summary>
public sealed record HealthCheck(string Name, bool Ok, string Detail);
