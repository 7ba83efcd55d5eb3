namespace TrafficActors.Web.Dashboard;

/// <summary>
/// Headline figures. Violation totals cover every window the cluster still holds (this session, up to the
/// window retention); processed and events/s are this node's own counters.
/// </summary>
public sealed record DashboardKpis(
    long TotalViolations,
    long EngineStress,
    IReadOnlyDictionary<string, long> ByRule,
    double? LatestCriticalSpeed,
    long Processed,
    double EventsPerSecond);
