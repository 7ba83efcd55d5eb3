using System.Globalization;
using Akka.Cluster.Sharding;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Placement;
using TrafficActors.Settings;
using Xunit;

namespace TrafficActors.Tests.Placement;

[Trait(Tier.Name, Tier.Fast)]
public sealed class CarPlacementTests
{
    private static CarPlacement Partitions(int count = 24) =>
        new(CarPlacementMode.KafkaPartitions, count, PartitionerKind.Consistent, 120, TimeSpan.FromSeconds(1));

    [Fact]
    public void Every_message_for_a_car_goes_to_the_shard_of_its_partition()
    {
        var placement = Partitions();
        var extractor = new CarMessageExtractor(placement);
        for (var car = 1L; car <= 300; car++)
        {
            var expected = KafkaPartitioner.Partition(WireFormat.CarKey(car), 24, PartitionerKind.Consistent).ToString(CultureInfo.InvariantCulture);
            var sample = ProcessSamples.Of(new RawEvent("e", DateTimeOffset.UtcNow, car, 50, 2000, 3));
            Assert.Equal(expected, Shard(extractor, sample));
            Assert.Equal(expected, Shard(extractor, new GetCarStatus(car)));
            var id = car.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(expected, extractor.ShardId(id, new ShardRegion.StartEntity(id)));
            Assert.Equal(car.ToString(CultureInfo.InvariantCulture), extractor.EntityId(sample));
        }
    }

    [Fact]
    public void Hash_mode_keeps_the_classic_hash_shards()
    {
        var placement = Partitions() with { Mode = CarPlacementMode.Hash };
        var extractor = new CarMessageExtractor(placement);
        var classic = new ClassicExtractor(120);
        for (var car = 1L; car <= 300; car++)
        {
            var msg = new GetCarStatus(car);
            Assert.Equal(Shard(classic, msg), Shard(extractor, msg));
        }
    }

    [Fact]
    public void Placement_comes_from_hocon_with_the_raw_partition_count()
    {
        var settings = TrafficSettings.FromConfig(TrafficConfig.Load(overrides: "traffic.kafka.partitions.raw = 12\ntraffic.cars.placement.partitioner = murmur2"));
        Assert.Equal(CarPlacementMode.KafkaPartitions, settings.Cars.Placement.Mode);
        Assert.Equal(12, settings.Cars.Placement.Partitions);
        Assert.Equal(PartitionerKind.Murmur2, settings.Cars.Placement.Partitioner);
        Assert.True(settings.Cars.Placement.FollowsPartitions);

        var hash = TrafficSettings.FromConfig(TrafficConfig.Load(overrides: "traffic.cars.placement.mode = hash"));
        Assert.False(hash.Cars.Placement.FollowsPartitions);
    }

    [Fact]
    public void An_unknown_placement_mode_is_a_clear_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrafficSettings.FromConfig(TrafficConfig.Load(overrides: "traffic.cars.placement.mode = nearest")));
        Assert.Contains("kafka-partitions | hash", ex.Message);
    }

    // The way the shard region asks: entity id first, then the shard of that id.
    private static string Shard(IMessageExtractor extractor, object message) => extractor.ShardId(extractor.EntityId(message)!, message);

    private sealed class ClassicExtractor(int shards) : HashCodeMessageExtractor(shards)
    {
        public override string? EntityId(object message) =>
            message is ICarMessage m ? m.CarId.ToString(CultureInfo.InvariantCulture) : null;
    }
}
