using Xunit;
using Confluent.Kafka;
using TrafficActors.Kafka;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Kafka;

[Trait(Tier.Name, Tier.Integration)]
[Collection(KafkaCollection.Name)]
public sealed class EmbeddedKafkaClusterTests
{
    [Fact]
    public async Task Produced_messages_are_consumed_back_from_a_12_partition_topic()
    {
        using var cluster = EmbeddedKafkaCluster.Start(3);
        Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
        cluster.CreateTopic("roads", partitions: 12);

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            var metadata = admin.GetMetadata("roads", KafkaTestData.Timeout);
            Assert.Equal(12, metadata.Topics.Single().Partitions.Count);
            Assert.Equal(3, metadata.Brokers.Count);
        }

        await KafkaTestData.ProduceKeyed(cluster.BootstrapServers, "roads", 1200);
        var read = KafkaTestData.ReadAll(cluster.BootstrapServers, "roads", 12, 1200);

        Assert.Equal(
            Enumerable.Range(0, 1200).Select(i => i.ToString()).OrderBy(s => s),
            read.Select(r => KafkaTestData.Text(r.Message.Value)).OrderBy(s => s));
        Assert.True(read.Select(r => r.Partition.Value).Distinct().Count() > 6, "keys should spread over partitions");
    }

    [Fact]
    public async Task A_broker_going_down_and_up_loses_no_data()
    {
        using var cluster = EmbeddedKafkaCluster.Start(3);
        cluster.CreateTopic("sensors", partitions: 12);
        using var producer = KafkaTestData.Producer(cluster.BootstrapServers, c => c.ReconnectBackoffMaxMs = 200);

        var before = Enumerable.Range(0, 600).Select(i => Send(i)).ToArray();
        await Task.WhenAll(before);

        cluster.SetBrokerDown(2);
        var during = Enumerable.Range(600, 600).Select(i => Send(i)).ToArray();

        // Partitions led by brokers 1 and 3 keep accepting while broker 2's wait for it.
        await KafkaTestData.Eventually(
            () => during.Count(t => t.IsCompletedSuccessfully) >= 300, KafkaTestData.Timeout,
            () => $"{during.Count(t => t.IsCompleted)} of 600 delivered while broker 2 is down");
        Assert.Contains(during, t => !t.IsCompleted);

        cluster.SetBrokerUp(2);
        await Task.WhenAll(during).WaitAsync(KafkaTestData.Timeout);

        var read = KafkaTestData.ReadAll(cluster.BootstrapServers, "sensors", 12, 1200, c => c.ReconnectBackoffMaxMs = 200);
        Assert.Equal(
            Enumerable.Range(0, 1200).Select(i => i.ToString()).OrderBy(s => s),
            read.Select(r => KafkaTestData.Text(r.Message.Value)).OrderBy(s => s));

        producer.Dispose();
        cluster.Dispose();
        cluster.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", 1));

        Task<DeliveryResult<byte[]?, byte[]?>> Send(int i) =>
            producer.ProduceAsync(new TopicPartition("sensors", new Partition(i % 12)),
                new Message<byte[]?, byte[]?> { Key = null, Value = KafkaTestData.Bytes(i.ToString()) });
    }
}
