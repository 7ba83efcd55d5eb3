using Xunit;
using Confluent.Kafka;
using TrafficActors.Kafka;

namespace TrafficActors.Tests.Kafka;

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
}
