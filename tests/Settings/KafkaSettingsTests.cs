using Akka.Configuration;
using TrafficActors.Kafka;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Settings;

/// <summary>
/// The ingest consumer from the shipped traffic.conf: only the application's own choices are set there, the rest
/// comes from the connector's reference.conf, and the embedded broker's client profile applies only where it should.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class KafkaSettingsTests
{
    private static KafkaSettings Load(Dictionary<string, string> environment) =>
        KafkaSettings.FromConfig(ShippedConfig.Load(environment).GetConfig("traffic.kafka"));

    [Fact]
    public void The_application_overrides_what_it_chose_and_takes_every_other_default_from_the_connector()
    {
        var consumer = Load([]).WithBootstrap("a:1").ToConsumerSettings();
        var connector = ConsumerSettings.Create("a:1", "any-group");

        Assert.Equal("traffic-actors", consumer.GroupId);
        Assert.Equal(65536, consumer.BufferSize);
        Assert.Equal(TimeSpan.FromSeconds(6), consumer.SessionTimeout);
        Assert.Equal(connector.PollTimeout, consumer.PollTimeout);
        Assert.Equal(connector.StallTimeout, consumer.StallTimeout);
        // A join the coordinator never answers is retried after this + 3 s, not after the connector's 5 minutes.
        Assert.Equal(TimeSpan.FromSeconds(30), consumer.MaxPollInterval);
        Assert.Equal(30_000, consumer.ToConsumerConfig().MaxPollIntervalMs);
        Assert.Equal(connector.AssignmentStrategy, consumer.AssignmentStrategy);
    }

    [Fact]
    public void The_embedded_profile_applies_when_the_node_starts_the_broker_or_is_told_so_and_never_to_a_real_kafka()
    {
        const string Key = "fetch.wait.max.ms";
        var own = Load([]);
        Assert.True(own.EmbeddedProfile);
        Assert.Equal("10", own.WithBootstrap("127.0.0.1:1").ToConsumerSettings().ToConsumerConfig().Get(Key));

        var real = Load(new() { ["TRAFFIC_KAFKA_BOOTSTRAP"] = "kafka:9092" });
        Assert.False(real.EmbeddedProfile);
        Assert.Null(real.ToConsumerSettings().ToConsumerConfig().Get(Key));

        var pointed = Load(new() { ["TRAFFIC_KAFKA_BOOTSTRAP"] = "127.0.0.1:1", ["TRAFFIC_KAFKA_EMBEDDED_PROFILE"] = "on" });
        Assert.Equal("10", pointed.ToConsumerSettings().ToConsumerConfig().Get(Key));

        var off = Load(new() { ["TRAFFIC_KAFKA_EMBEDDED_PROFILE"] = "off" });
        Assert.Null(off.WithBootstrap("127.0.0.1:1").ToConsumerSettings().ToConsumerConfig().Get(Key));
    }

    [Fact]
    public void An_explicit_consumer_property_wins_over_the_embedded_profile()
    {
        var k = Load([]);
        var section = ConfigurationFactory.ParseString("properties { \"fetch.wait.max.ms\" = \"250\" }").WithFallback(k.Consumer);
        var consumer = (k with { Consumer = section }).WithBootstrap("127.0.0.1:1").ToConsumerSettings();
        Assert.Equal("250", consumer.ToConsumerConfig().Get("fetch.wait.max.ms"));
    }

    [Fact]
    public void An_unknown_profile_is_refused_with_the_key_and_the_value()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(new() { ["TRAFFIC_KAFKA_EMBEDDED_PROFILE"] = "sometimes" }));
        Assert.Contains("traffic.kafka.embedded.profile", ex.Message);
        Assert.Contains("sometimes", ex.Message);
    }
}
