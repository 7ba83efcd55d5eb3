namespace TrafficActors.Reference;

/// <summary>Row of <c>cars</c>.</summary>
public sealed record CarRow(long CarId, long DriverId, int ModelId, int ColorId);
