namespace TrafficActors.Web.Dashboard;

/// <summary>The <c>traffic.dashboard</c> section.</summary>
public sealed record DashboardSettings(TimeSpan PushInterval, TimeSpan HeartbeatInterval, TimeSpan History, int LatestAlerts)
{
    public static DashboardSettings FromConfig(Akka.Configuration.Config c) => new(
        c.GetTimeSpan("push-interval"),
        c.GetTimeSpan("heartbeat-interval"),
        c.GetTimeSpan("history"),
        c.GetInt("latest-alerts"));
}
