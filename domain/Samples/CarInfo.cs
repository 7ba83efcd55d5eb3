namespace TrafficActors.Domain;

/// <summary>Reference data joined for one car: what enrichment adds to a sample.</summary>
public sealed record CarInfo(long CarId, long DriverId, int ModelId, int ColorId, string BrandName, string ModelName, string ColorName);
