using Xunit;
using Confluent.Kafka;
using TrafficActors.Kafka;

namespace TrafficActors.Tests.Kafka;

[Trait(Tier.Name, Tier.Fast)]
public sealed class ConsumerSettingsTests
{
    [Fact]
    public void FromConfig_reads_every_key_and_passes_raw_properties_through()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("""
            bootstrap-servers = "127.0.0.1:9092"
            group-id = traffic
            client-id = node-1
            poll-timeout = 30ms
            buffer-size = 64
            commit-interval = 2s
            session-timeout = 6s
            max-poll-interval = 60s
            assignment-strategy = range
            properties {
              "fetch.max.bytes" = 1048576
              statistics.interval.ms = 5000
            }
            """);

        var settings = ConsumerSettings.FromConfig(config);
        var confluent = settings.ToConsumerConfig();

        Assert.Equal("node-1", settings.ClientId);
        Assert.Equal(TimeSpan.FromMilliseconds(30), settings.PollTimeout);
        Assert.Equal(64, settings.BufferSize);
        Assert.Equal(2000, confluent.AutoCommitIntervalMs);
        Assert.Equal(6000, confluent.SessionTimeoutMs);
        Assert.Equal(60000, confluent.MaxPollIntervalMs);
        Assert.Equal(PartitionAssignmentStrategy.Range, confluent.PartitionAssignmentStrategy);
        Assert.True(confluent.EnableAutoCommit);
        Assert.False(confluent.EnableAutoOffsetStore);
        Assert.Equal(AutoOffsetReset.Earliest, confluent.AutoOffsetReset);
        Assert.Equal("1048576", confluent.Get("fetch.max.bytes"));
        Assert.Equal("5000", confluent.Get("statistics.interval.ms"));
    }

    [Fact]
    public void FromConfig_requires_the_group()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("bootstrap-servers = \"x:1\"");
        Assert.Throws<Akka.Configuration.ConfigurationException>(() => ConsumerSettings.FromConfig(config));
    }

    [Fact]
    public void Create_takes_every_other_value_from_the_connectors_reference_conf()
    {
        var settings = ConsumerSettings.Create("127.0.0.1:9092", "group");

        Assert.Equal("traffic-actors", settings.ClientId);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.PollTimeout);
        Assert.Equal(4096, settings.BufferSize);
        Assert.Equal(TimeSpan.FromSeconds(45), settings.SessionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.StallTimeout);
        Assert.Equal(PartitionAssignmentStrategy.Range, settings.AssignmentStrategy);
        Assert.Empty(settings.Properties);
        Assert.Null(settings.MaxValueBytes);
    }

    [Fact]
    public void Application_properties_merge_with_the_defaults_key_by_key()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("""
            bootstrap-servers = "a:1,b:2"
            group-id = g
            buffer-size = 8
            properties { "fetch.wait.max.ms" = "10" }
            """);

        var settings = ConsumerSettings.FromConfig(config);

        Assert.Equal("a:1,b:2", settings.BootstrapServers);
        Assert.Equal(8, settings.BufferSize);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.PollTimeout);
        Assert.Equal("10", settings.ToConsumerConfig().Get("fetch.wait.max.ms"));
    }

    [Theory]
    [InlineData("assignment-strategy = sticky", "unknown assignment-strategy 'sticky'")]
    [InlineData("buffer-size = 0", "buffer-size must be at least 1")]
    [InlineData("stall-timeout = soon", "'stall-timeout' is not a duration")]
    public void Bad_values_fail_with_the_key_named(string line, string message)
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("bootstrap-servers = \"x:1\"\ngroup-id = g\n" + line);

        var error = Assert.Throws<Akka.Configuration.ConfigurationException>(() => ConsumerSettings.FromConfig(config));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_cap_needs_a_header_for_the_real_length()
    {
        var settings = ConsumerSettings.Create("x:1", "g");

        Assert.Throws<ArgumentException>(() => settings.WithMaxValueBytes(10, " "));
        Assert.Equal(10, settings.WithMaxValueBytes(10, "size").MaxValueBytes);
    }
}
