using Xunit;
using Confluent.Kafka;
using TrafficActors.Kafka;

namespace TrafficActors.Tests.Kafka;

[Trait(Tier.Name, Tier.Fast)]
public sealed class ProducerSettingsTests
{
    [Fact]
    public void Create_is_idempotent_with_acks_all_by_default()
    {
        var config = ProducerSettings.Create("127.0.0.1:9092").ToProducerConfig();

        Assert.Equal(Acks.All, config.Acks);
        Assert.True(config.EnableIdempotence);
        Assert.Equal(5, config.LingerMs);
    }

    [Fact]
    public void Idempotence_follows_acks_unless_set()
    {
        var leader = ProducerSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("bootstrap-servers = \"x:1\"\nacks = leader"));
        var off = ProducerSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("bootstrap-servers = \"x:1\"\nenable-idempotence = off"));

        Assert.False(leader.EnableIdempotence);
        Assert.False(off.EnableIdempotence);
        Assert.Equal(Acks.All, off.Acks);
    }

    [Theory]
    [InlineData("acks = some", "unknown acks 'some'")]
    [InlineData("acks = leader\nenable-idempotence = on", "enable-idempotence requires acks = all")]
    [InlineData("enable-idempotence = maybe", "enable-idempotence must be auto, on or off")]
    public void Bad_values_fail_with_the_key_named(string lines, string message)
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("bootstrap-servers = \"x:1\"\n" + lines);

        var error = Assert.Throws<Akka.Configuration.ConfigurationException>(() => ProducerSettings.FromConfig(config));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bootstrap_servers_are_required()
    {
        Assert.Throws<Akka.Configuration.ConfigurationException>(() => ProducerSettings.FromConfig(Akka.Configuration.ConfigurationFactory.Empty));
    }
}
