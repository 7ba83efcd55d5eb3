using Akka.Configuration;

namespace TrafficActors.Settings;

/// <summary>The <c>traffic.telemetry.tracing</c> section: whether events are traced and how many of them.</summary>
public sealed record TracingSettings(bool Enabled, double SamplingRatio)
{
    public static TracingSettings FromConfig(Config root)
    {
        var t = root.GetConfig("traffic.telemetry.tracing") ?? throw new ConfigurationException("missing `traffic.telemetry.tracing` section");
        var ratio = t.GetDouble("sampling-ratio");
        if (!(ratio is >= 0 and <= 1))
            throw new ConfigurationException($"traffic.telemetry.tracing.sampling-ratio must be between 0 and 1, not {ratio}");
        return new TracingSettings(t.GetBoolean("enabled"), ratio);
    }
}
