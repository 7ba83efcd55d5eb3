namespace TrafficActors.Web.Management;

/// <summary>Body of <c>/healthz</c> and <c>/ready</c>: <c>Status</c> is alive, ready or not_ready.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<HealthCheck> Checks);
