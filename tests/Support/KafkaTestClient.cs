using Confluent.Kafka;

namespace TrafficActors.Tests.Support;

/// <summary>Plain Confluent clients for tests: produce a dataset and read whole topics back.</summary>
internal static class KafkaTestClient
{
    public static IProducer<byte[]?, byte[]?> Producer(string bootstrap) =>
        new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 2 }).Build();

    public static async Task ProduceAllAsync(string bootstrap, string topic, IEnumerable<(byte[]? Key, byte[] Value)> messages)
    {
        using var p = Producer(bootstrap);
        var pending = messages.Select(m => p.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = m.Key, Value = m.Value })).ToList();
        await Task.WhenAll(pending);
        p.Flush(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Reads every partition of <paramref name="topic"/> from the beginning until <paramref name="until"/> holds for
    /// what was read, or the timeout passes; then returns everything read.
    /// </summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadTopic(
        string bootstrap, string topic, Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, bool> until, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => p.PartitionId).ToArray();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is { IsPartitionEOF: false, Message: not null }) read.Add(r);
            else if (until(read)) break;
        }

        return read;
    }

    /// <summary>Committed offset per partition of the consumer group, and the partition's end offset.</summary>
    public static IReadOnlyList<(int Partition, long Committed, long End)> GroupOffsets(string bootstrap, string group, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false }).Build();
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10));
        return committed
            .Select(c => (c.Partition.Value, c.Offset.Value, consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value))
            .OrderBy(x => x.Item1)
            .ToList();
    }
}
