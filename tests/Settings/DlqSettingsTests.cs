using Akka.Configuration;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Settings;

/// <summary>The shipped <c>traffic.dlq</c> section and the values it refuses.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class DlqSettingsTests
{
    [Fact]
    public void The_shipped_defaults_bound_the_verbs()
    {
        var dlq = DlqSettings.FromConfig(ShippedConfig.Load(new Dictionary<string, string>()));
        Assert.Equal(20, dlq.DefaultLast);
        Assert.Equal(10000, dlq.MaxLast);
        Assert.Equal(TimeSpan.FromSeconds(10), dlq.KafkaTimeout);
        Assert.Equal(64L * 1024 * 1024, dlq.MaxRedriveFileBytes);
        Assert.Equal("traffic-dlq-redrive", dlq.RedriveClientId);
    }

    [Fact]
    public void The_kafka_timeout_follows_its_variable() =>
        Assert.Equal(TimeSpan.FromSeconds(2), DlqSettings.FromConfig(ShippedConfig.Load(new Dictionary<string, string> { ["TRAFFIC_DLQ_KAFKA_TIMEOUT"] = "2s" })).KafkaTimeout);

    [Theory]
    [InlineData("traffic.dlq.show.default-last = 0", "default-last")]
    [InlineData("traffic.dlq.show.default-last = 20000", "default-last")]
    [InlineData("traffic.dlq.show.max-last = 0", "max-last")]
    [InlineData("traffic.dlq.kafka-timeout = 0s", "kafka-timeout")]
    [InlineData("traffic.dlq.redrive.max-file-bytes = 0", "max-file-bytes")]
    [InlineData("traffic.dlq.redrive.client-id = \"\"", "client-id")]
    public void Unusable_values_are_refused_with_the_key_named(string hocon, string key)
    {
        var config = ConfigurationFactory.ParseString(hocon).WithFallback(ShippedConfig.Load(new Dictionary<string, string>()));
        var ex = Assert.Throws<ConfigurationException>(() => DlqSettings.FromConfig(config));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }
}
