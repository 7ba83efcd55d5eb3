using Akka.Configuration;

namespace TrafficActors.Web.Dashboard;

/// <summary>The <c>traffic.dashboard</c> section.</summary>
public sealed record DashboardSettings(
    TimeSpan PushInterval, TimeSpan HeartbeatInterval, TimeSpan History, int LatestAlerts,
    TimeSpan CarPollInterval, int MaxCarsPerConnection, int MaxWatchedCars)
{
    public static DashboardSettings FromConfig(Config c)
    {
        var settings = new DashboardSettings(
            c.GetTimeSpan("push-interval"),
            c.GetTimeSpan("heartbeat-interval"),
            c.GetTimeSpan("history"),
            c.GetInt("latest-alerts"),
            c.GetTimeSpan("car-poll-interval"),
            c.GetInt("max-cars-per-connection"),
            c.GetInt("max-watched-cars"));
        if (settings.CarPollInterval <= TimeSpan.Zero)
            throw new ConfigurationException($"traffic.dashboard.car-poll-interval must be positive, not {settings.CarPollInterval}");
        if (settings.MaxCarsPerConnection < 1 || settings.MaxWatchedCars < 1)
            throw new ConfigurationException("traffic.dashboard.max-cars-per-connection and max-watched-cars must be at least 1");
        return settings;
    }
}
