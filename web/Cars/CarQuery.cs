using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Reference;

namespace TrafficActors.Web.Cars;

/// <summary>
/// Reads one car's drill-down for the API and the dashboard hub. A car is known when the node's reference data has
/// it; only known cars are asked, because asking the car region starts an actor for any id it is given.
/// </summary>
/// <param name="cars">The car shard region, or its proxy on a node without the cars role.</param>
/// <param name="extractor">The region's message extractor, which names a car's shard.</param>
/// <param name="reference">The node's reference data: the known cars.</param>
/// <param name="askTimeout">Longest wait for a car actor's answer.</param>
public sealed class CarQuery(IActorRef cars, IMessageExtractor extractor, ReferenceDataStore reference, TimeSpan askTimeout)
{
    /// <summary>Longest wait for a car actor's answer.</summary>
    public TimeSpan AskTimeout => askTimeout;

    /// <summary>The car's reference row, or null when the car is not known.</summary>
    public CarInfo? Known(long carId) => reference.Current.Lookup(carId);

    /// <summary>Why <paramref name="carId"/> has no drill-down, for a 404 or a refused subscription.</summary>
    public string NotFound(long carId)
    {
        var id = carId.ToString(CultureInfo.InvariantCulture);
        return reference.IsLoaded
            ? $"car {id} is not in the reference data (version {reference.Current.Version})"
            : $"car {id} is unknown: this node has not loaded the reference data yet";
    }

    /// <summary>Asks a known car's actor for its status (starting the actor if the car has none).</summary>
    public Task<CarStatus> AskAsync(long carId, CancellationToken ct) =>
        cars.Ask<CarStatus>(new GetCarStatus(carId), askTimeout, ct);

    public CarDetails Details(CarStatus status, CarInfo car)
    {
        var entity = status.CarId.ToString(CultureInfo.InvariantCulture);
        // The actor names itself by its full path, whose address is the member that holds it.
        var node = ActorPath.TryParse(status.ActorPath, out var path) ? path.Address.ToString() : status.ActorPath;
        return new CarDetails(
            status.CarId, car.DriverId, car.BrandName, car.ModelName, car.ColorName, node,
            extractor.ShardId(entity, new GetCarStatus(status.CarId)), status.Samples, status.Alerts, status.AlertsByRule,
            status.LastSample, status.Trace.ToArray(), status.ReferenceVersion);
    }
}
