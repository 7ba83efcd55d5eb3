using System.Text;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Placement;
using TrafficActors.Tests.Kafka;
using Xunit;

namespace TrafficActors.Tests.Placement;

[Trait(Tier.Name, Tier.Integration)]
[Collection(KafkaCollection.Name)]
public sealed class KafkaPartitionerTests(KafkaClusterFixture kafka)
{
    [Fact]
    public async Task Consistent_partitioner_predicts_where_the_producer_put_every_car()
    {
        const int partitions = 24;
        var topic = kafka.NewTopic(partitions);
        using var producer = KafkaTestData.Producer(kafka.BootstrapServers);
        var deliveries = await Task.WhenAll(Enumerable.Range(1, 500).Select(car =>
            producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = WireFormat.CarKey(car), Value = [1] })));

        Assert.All(deliveries, d =>
            Assert.Equal(d.Partition.Value, KafkaPartitioner.Partition(d.Message.Key, partitions, PartitionerKind.Consistent)));
        Assert.Equal(partitions, deliveries.Select(d => d.Partition.Value).Distinct().Count());
    }

    // Reference values of Kafka's own murmur2 (the Java client's partitioner), as signed 32-bit results.
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_matches_the_java_client(string key, int javaHash)
    {
        var expected = (javaHash & 0x7fffffff) % int.MaxValue;
        Assert.Equal(expected, KafkaPartitioner.Partition(Encoding.ASCII.GetBytes(key), int.MaxValue, PartitionerKind.Murmur2));
    }

    [Fact]
    public void Partitions_are_always_in_range()
    {
        foreach (var kind in new[] { PartitionerKind.Consistent, PartitionerKind.Murmur2 })
        {
            for (var car = 0L; car < 5000; car++)
            {
                var p = KafkaPartitioner.Partition(WireFormat.CarKey(car), 7, kind);
                Assert.InRange(p, 0, 6);
            }
        }
    }

    [Fact]
    public void Written_car_keys_equal_the_wire_keys()
    {
        Span<byte> buffer = stackalloc byte[20];
        foreach (var car in new[] { 0L, 7L, 1_000_000L, long.MaxValue, -5L })
        {
            var length = WireFormat.WriteCarKey(car, buffer);
            Assert.Equal(WireFormat.CarKey(car), buffer[..length].ToArray());
        }
    }

    [Theory]
    [InlineData("CRC32", PartitionerKind.Consistent)]
    [InlineData(" murmur2 ", PartitionerKind.Murmur2)]
    [InlineData("consistent", PartitionerKind.Consistent)]
    public void Partitioner_names_parse(string name, PartitionerKind kind) => Assert.Equal(kind, KafkaPartitioner.Parse(name));

    [Fact]
    public void Unknown_partitioner_and_bad_counts_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => KafkaPartitioner.Parse("random"));
        Assert.Contains("consistent | murmur2", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => KafkaPartitioner.Partition([1], 0, PartitionerKind.Consistent));
    }
}
