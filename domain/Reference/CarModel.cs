namespace TrafficActors.Reference;

/// <summary>Row of <c>car_models</c>.</summary>
public sealed record CarModel(int ModelId, string CarBrand, string CarModelName);
