namespace TrafficActors.Web.Health;

/// <summary>
/// Body of <c>/healthz</c> and <c>/ready</c>: <c>Status</c> is alive or not_alive (liveness), ready or not_ready
/// (readiness); <c>Checks</c> lists every check that ran, the failed ones with why.
/// </summary>
public sealed record HealthReport(string Status, IReadOnlyList<HealthCheck> Checks);
