using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace TrafficActors.Tests.Kafka;

/// <summary>Producing, reading back and offset inspection with plain Confluent clients, independent of the code under test.</summary>
internal static class KafkaTestData
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static string Text(byte[]? bytes) => bytes is null ? "" : Encoding.UTF8.GetString(bytes);

    public static IProducer<byte[]?, byte[]?> Producer(string bootstrap, Action<ProducerConfig>? tweak = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            LingerMs = 5,
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        tweak?.Invoke(config);
        return new ProducerBuilder<byte[]?, byte[]?>(config).Build();
    }

    /// <summary>Produces <paramref name="perPartition"/> messages with value "p:i" to every partition.</summary>
    public static async Task ProducePerPartition(string bootstrap, string topic, int partitions, int perPartition)
    {
        using var producer = Producer(bootstrap);
        var pending = new List<Task>(partitions * perPartition);
        for (var i = 0; i < perPartition; i++)
        {
            for (var p = 0; p < partitions; p++)
            {
                pending.Add(producer.ProduceAsync(
                    new TopicPartition(topic, new Partition(p)),
                    new Message<byte[]?, byte[]?> { Key = Bytes($"k{p}"), Value = Bytes($"{p}:{i}") }));
            }
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Produces keyed messages with values "0".."n-1"; the key spreads them over the partitions.</summary>
    public static async Task ProduceKeyed(string bootstrap, string topic, int count)
    {
        using var producer = Producer(bootstrap);
        var pending = new Task[count];
        for (var i = 0; i < count; i++)
        {
            pending[i] = producer.ProduceAsync(
                topic,
                new Message<byte[]?, byte[]?> { Key = Bytes($"vehicle-{i % 97}"), Value = Bytes(i.ToString()) });
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Reads every partition from the beginning by assignment (no group) until <paramref name="expected"/> messages arrived.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(
        string bootstrap, string topic, int partitions, int expected, Action<ConsumerConfig>? tweak = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        };
        tweak?.Invoke(config);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions)
            .Select(p => new TopicPartitionOffset(topic, new Partition(p), Offset.Beginning)));
        var result = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = Stopwatch.StartNew();
        while (result.Count < expected && deadline.Elapsed < Timeout)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not null && !r.IsPartitionEOF)
            {
                result.Add(r);
            }
        }

        consumer.Close();
        return result;
    }

    public static long[] EndOffsets(string bootstrap, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "watermarks-" + Guid.NewGuid().ToString("N"),
        }).Build();
        return Enumerable.Range(0, partitions)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, new Partition(p)), Timeout).High.Value)
            .ToArray();
    }

    /// <summary>Committed offsets of <paramref name="groupId"/>, read without joining the group.</summary>
    public static long[] Committed(string bootstrap, string groupId, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
        var committed = consumer.Committed(
            Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, new Partition(p))), Timeout);
        return committed.OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value).ToArray();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static Task Eventually(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        Support.Poll.Until(condition, timeout, describe, TimeSpan.FromMilliseconds(10));
}
