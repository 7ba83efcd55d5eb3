namespace TrafficActors.Reference;

/// <summary>Row of <c>car_colors</c>.</summary>
public sealed record CarColor(int ColorId, string ColorName);
