using System.Globalization;
using Akka.Cluster.Sharding;

namespace TrafficActors.Cars;

/// <summary>Routes car messages by car_id; one entity per car.</summary>
public sealed class CarMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) =>
        message is ICarMessage m ? m.CarId.ToString(CultureInfo.InvariantCulture) : null;
}
