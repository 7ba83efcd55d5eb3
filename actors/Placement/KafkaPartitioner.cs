using System.Buffers.Binary;
using System.IO.Hashing;

namespace TrafficActors.Placement;

/// <summary>
/// The partition a keyed Kafka record lands on, computed the way producers do it. Lets the node place a car's shard
/// where its telemetry is consumed without having seen a message for that car yet (e.g. for `car show`).
/// </summary>
public static class KafkaPartitioner
{
    public static int Partition(ReadOnlySpan<byte> key, int partitions, PartitionerKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return kind switch
        {
            PartitionerKind.Consistent => (int)(Crc32.HashToUInt32(key) % (uint)partitions),
            PartitionerKind.Murmur2 => (Murmur2(key) & 0x7fffffff) % partitions,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    public static PartitionerKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "consistent" or "crc32" => PartitionerKind.Consistent,
        "murmur2" => PartitionerKind.Murmur2,
        _ => throw new ArgumentException($"unknown partitioner '{name}' (consistent | murmur2)", nameof(name)),
    };

    /// <summary>
    /// Kafka's murmur2 variant (seed 0x9747b28c, little-endian blocks). Written here because no served package
    /// exposes the exact variant the Java producer uses, and the result must match it bit for bit.
    /// </summary>
    private static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var h = 0x9747b28c ^ (uint)data.Length;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        var tail = data[(blocks * 4)..];
        switch (tail.Length)
        {
            case 3:
                h ^= (uint)tail[2] << 16;
                h ^= (uint)tail[1] << 8;
                h ^= tail[0];
                h *= m;
                break;
            case 2:
                h ^= (uint)tail[1] << 8;
                h ^= tail[0];
                h *= m;
                break;
            case 1:
                h ^= tail[0];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
