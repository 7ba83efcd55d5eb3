namespace TrafficActors.Cars;

/// <summary>Ask a car actor what it knows; answered with <see cref="CarStatus"/>.</summary>
public sealed record GetCarStatus(long CarId) : ICarMessage;
