using Confluent.Kafka;
using TrafficActors.Kafka;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Kafka;

/// <summary>One mock cluster for the whole Kafka collection; each test uses its own topic and group.</summary>
public sealed class KafkaClusterFixture : IDisposable
{
    private int _sequence;

    public KafkaClusterFixture() => Cluster = EmbeddedKafkaCluster.Start(3);

    public EmbeddedKafkaCluster Cluster { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    public string NewTopic(int partitions)
    {
        var name = $"test-{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid():N}";
        Cluster.CreateTopic(name, partitions);
        return name;
    }

    public ConsumerSettings ConsumerSettings(string groupId) =>
        TrafficActors.Kafka.ConsumerSettings.Create(BootstrapServers, groupId)
            .WithSessionTimeout(TimeSpan.FromMilliseconds(6000))
            .WithMaxPollInterval(TimeSpan.FromMilliseconds(6000))
            .WithPollTimeout(TimeSpan.FromMilliseconds(20))
            .WithCommitInterval(TimeSpan.FromMilliseconds(200))
            // As the node's HOCON sets it: the embedded broker holds a fetch that found nothing for this long, and
            // holds the broker's next fetch (a resumed partition's too) behind it.
            .WithProperty("fetch.wait.max.ms", "10");

    /// <summary>Settings of one of several members of a group that rebalances during the test.</summary>
    public ConsumerSettings MemberSettings(string groupId, string clientId) =>
        ConsumerSettings(groupId)
            .WithClientId(clientId)
            // Rebalances on the embedded broker last about session.timeout − 1 s.
            .WithSessionTimeout(TimeSpan.FromMilliseconds(3000));

    public void Dispose() => Cluster.Dispose();
}
