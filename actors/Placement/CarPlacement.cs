using System.Globalization;
using TrafficActors.Domain;

namespace TrafficActors.Placement;

/// <summary>
/// Where car entities live. <see cref="KafkaPartitions"/>: one shard per raw-data partition (shard id = partition
/// number, computed from the car's key like the producer does) and each shard allocated to the node consuming that
/// partition, so telemetry rarely crosses the network. <see cref="Hash"/>: Akka's usual hash of the car id over
/// <see cref="HashShards"/> shards, placed by the least-shards strategy.
/// </summary>
public sealed record CarPlacement(CarPlacementMode Mode, int Partitions, PartitionerKind Partitioner, int HashShards, TimeSpan RetryInterval)
{
    public bool FollowsPartitions => Mode == CarPlacementMode.KafkaPartitions;

    /// <summary>Shard id of a car; the same on every node given the same settings.</summary>
    public string ShardOf(long carId)
    {
        if (Mode == CarPlacementMode.Hash)
        {
            // Kept equal to what the hash extractor gave before placement existed, so `hash` behaves as it always did.
            var id = carId.ToString(CultureInfo.InvariantCulture);
            return (Math.Abs(Akka.Util.MurmurHash.StringHash(id) % HashShards)).ToString(CultureInfo.InvariantCulture);
        }

        Span<byte> key = stackalloc byte[20];
        var length = WireFormat.WriteCarKey(carId, key);
        return ShardIdOfPartition(KafkaPartitioner.Partition(key[..length], Partitions, Partitioner));
    }

    public static string ShardIdOfPartition(int partition) => partition.ToString(CultureInfo.InvariantCulture);

    public static CarPlacementMode ParseMode(string name) => name.Trim().ToLowerInvariant() switch
    {
        "kafka-partitions" => CarPlacementMode.KafkaPartitions,
        "hash" => CarPlacementMode.Hash,
        _ => throw new ArgumentException($"unknown car placement '{name}' (kafka-partitions | hash)", nameof(name)),
    };
}
