using Akka.Configuration;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Settings;

/// <summary>The OTLP and tracing sections of the shipped traffic.conf, with their environment overrides and bad values.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class TelemetrySettingsTests
{
    [Fact]
    public void By_default_nothing_is_exported_and_a_low_share_would_be_traced()
    {
        var config = ShippedConfig.Load(new Dictionary<string, string>());
        var otlp = OtlpSettings.FromConfig(config);
        var tracing = TracingSettings.FromConfig(config);
        Assert.False(otlp.Enabled);
        Assert.Equal(OtlpProtocol.Grpc, otlp.Protocol);
        Assert.True(tracing.Enabled);
        Assert.Equal(0.01, tracing.SamplingRatio);
    }

    [Fact]
    public void The_standard_otel_variables_and_ours_override_the_defaults()
    {
        var config = ShippedConfig.Load(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318/",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["TRAFFIC_TRACING_SAMPLING_RATIO"] = "1",
            ["TRAFFIC_TRACING_ENABLED"] = "off",
        });
        var otlp = OtlpSettings.FromConfig(config);
        Assert.Equal(OtlpProtocol.HttpProtobuf, otlp.Protocol);
        // Over http/protobuf each signal has its own path.
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), otlp.SignalEndpoint("traces"));
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), otlp.SignalEndpoint("metrics"));
        var tracing = TracingSettings.FromConfig(config);
        Assert.Equal((false, 1.0), (tracing.Enabled, tracing.SamplingRatio));

        var grpc = OtlpSettings.FromConfig(ShippedConfig.Load(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4317" }));
        Assert.Equal(new Uri("http://collector:4317"), grpc.SignalEndpoint("traces"));
    }

    [Theory]
    [InlineData("traffic.telemetry.otlp.endpoint = \"collector:4317\"", "http:// or https://")]
    [InlineData("traffic.telemetry.otlp.endpoint = \"ftp://collector\"", "ftp://collector")]
    [InlineData("traffic.telemetry.otlp.protocol = \"http/json\"", "http/json")]
    [InlineData("traffic.telemetry.tracing.sampling-ratio = 1.5", "between 0 and 1")]
    [InlineData("traffic.telemetry.tracing.sampling-ratio = -0.1", "between 0 and 1")]
    public void Bad_values_are_refused_with_the_key_and_the_value(string hocon, string expected)
    {
        var config = ConfigurationFactory.ParseString(hocon).WithFallback(ShippedConfig.Load(new Dictionary<string, string>()));
        var ex = Assert.Throws<ConfigurationException>(() =>
        {
            OtlpSettings.FromConfig(config);
            TracingSettings.FromConfig(config);
        });
        Assert.Contains(expected, ex.Message);
        Assert.Contains("traffic.telemetry.", ex.Message);
    }
}
