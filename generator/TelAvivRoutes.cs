using TrafficActors.Domain;

namespace TrafficActors.Generator;

/// <summary>
/// Rough polylines over Tel Aviv's main roads. They are hand-placed approximations, not map data: they only need
/// to keep simulated cars on plausible paths inside the area a dashboard map is centred on.
/// </summary>
internal static class TelAvivRoutes
{
    public const double MinLat = 32.0;
    public const double MaxLat = 32.2;
    public const double MinLon = 34.7;
    public const double MaxLon = 34.9;

    public static IReadOnlyList<FleetRoute> All { get; } =
    [
        new("Ayalon (Route 20)",
        [
            new(32.030, 34.782), new(32.050, 34.789), new(32.066, 34.793), new(32.083, 34.797),
            new(32.100, 34.805), new(32.118, 34.812), new(32.140, 34.818),
        ]),
        new("Coastal road",
        [
            new(32.045, 34.752), new(32.060, 34.760), new(32.075, 34.766), new(32.090, 34.771),
            new(32.105, 34.779), new(32.120, 34.790),
        ]),
        new("Route 1 east",
        [
            new(32.064, 34.790), new(32.070, 34.808), new(32.078, 34.826), new(32.085, 34.848),
            new(32.093, 34.868), new(32.098, 34.885),
        ]),
        new("Route 2 north",
        [
            new(32.095, 34.793), new(32.115, 34.800), new(32.135, 34.806), new(32.158, 34.815),
            new(32.178, 34.825), new(32.195, 34.832),
        ]),
        new("Jaffa - Holon",
        [
            new(32.055, 34.765), new(32.045, 34.760), new(32.032, 34.765), new(32.020, 34.775),
            new(32.012, 34.790), new(32.015, 34.810),
        ]),
        new("Ibn Gabirol - Namir",
        [
            new(32.070, 34.781), new(32.080, 34.782), new(32.090, 34.783), new(32.100, 34.786),
            new(32.110, 34.789),
        ]),
    ];
}
