using System.Globalization;
using Akka.Cluster.Sharding;
using TrafficActors.Placement;

namespace TrafficActors.Cars;

/// <summary>Routes car messages by car_id (one entity per car) to the shard <see cref="CarPlacement"/> gives it.</summary>
public sealed class CarMessageExtractor(CarPlacement placement) : HashCodeMessageExtractor(placement.HashShards)
{
    public override string? EntityId(object message) =>
        message is ICarMessage m ? m.CarId.ToString(CultureInfo.InvariantCulture) : null;

    public override string ShardId(string entityId, object? messageHint = null) =>
        placement.ShardOf(long.Parse(entityId, CultureInfo.InvariantCulture));
}
