using TrafficActors.Domain;
using TrafficActors.Web.Api;

namespace TrafficActors.Web.Dashboard;

/// <summary>
/// One push to every page: the full picture (windows of the history period newest first, newest alerts, KPIs,
/// cluster, and the rules in force on the web node), so a page that missed pushes while paused or reconnecting is
/// whole again after the next one.
/// </summary>
public sealed record DashboardUpdate(
    DateTimeOffset At,
    IReadOnlyList<WindowResponse> Windows,
    IReadOnlyList<Alert> Alerts,
    DashboardKpis Kpis,
    IReadOnlyList<DashboardMember> Cluster,
    RulesInfo Rules);
