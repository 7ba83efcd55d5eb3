namespace TrafficActors.Cars;

/// <summary>A message routed to one car's entity.</summary>
public interface ICarMessage
{
    long CarId { get; }
}
