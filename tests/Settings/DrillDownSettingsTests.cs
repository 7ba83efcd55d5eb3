using Akka.Configuration;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using TrafficActors.Web.Dashboard;
using Xunit;

namespace TrafficActors.Tests.Settings;

/// <summary>The car trace and car-watch settings from the shipped traffic.conf; values that cannot work are refused at start.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class DrillDownSettingsTests
{
    private static Config Shipped(Dictionary<string, string> environment) => ShippedConfig.Load(environment);

    private static CarSettings Cars(Config config) => CarSettings.FromConfig(config.GetConfig("traffic.cars"), config.GetInt("traffic.kafka.partitions.raw"));

    private static Config With(string hocon) => ConfigurationFactory.ParseString(hocon).WithFallback(Shipped([]));

    [Fact]
    public void Shipped_defaults_keep_a_minute_of_samples_and_poll_watched_cars_every_second()
    {
        var cars = Cars(Shipped([]));
        Assert.Equal((64, TimeSpan.FromMinutes(5)), (cars.Trace.Samples, cars.Trace.Span));
        var dashboard = DashboardSettings.FromConfig(Shipped([]).GetConfig("traffic.dashboard"));
        Assert.Equal((TimeSpan.FromSeconds(1), 4, 200), (dashboard.CarPollInterval, dashboard.MaxCarsPerConnection, dashboard.MaxWatchedCars));
    }

    [Fact]
    public void The_trace_can_be_switched_off_from_the_environment()
    {
        Assert.Equal(0, Cars(Shipped(new() { ["TRAFFIC_CAR_TRACE_SAMPLES"] = "0" })).Trace.Samples);
    }

    [Theory]
    [InlineData("traffic.cars.trace-samples = -1", "trace-samples")]
    [InlineData("traffic.cars.trace-span = 0s", "trace-span")]
    public void A_trace_that_cannot_work_is_refused(string hocon, string key)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Cars(With(hocon)));
        Assert.Contains(key, ex.Message);
    }

    [Theory]
    [InlineData("traffic.dashboard.car-poll-interval = 0s", "car-poll-interval")]
    [InlineData("traffic.dashboard.max-cars-per-connection = 0", "max-cars-per-connection")]
    [InlineData("traffic.dashboard.max-watched-cars = 0", "max-watched-cars")]
    public void Car_watching_that_cannot_work_is_refused(string hocon, string key)
    {
        var ex = Assert.Throws<ConfigurationException>(() => DashboardSettings.FromConfig(With(hocon).GetConfig("traffic.dashboard")));
        Assert.Contains(key, ex.Message);
    }
}
