using System.Collections.Frozen;
using TrafficActors.Domain;

namespace TrafficActors.Reference;

/// <summary>
/// One immutable, validated version of the reference data, pre-joined per car so enrichment is a single
/// dictionary lookup with no allocation.
/// </summary>
public sealed class ReferenceSnapshot
{
    private readonly FrozenDictionary<long, CarInfo> _cars;

    public ReferenceSnapshot(IReadOnlyList<CarModel> models, IReadOnlyList<CarColor> colors, IReadOnlyList<CarRow> cars, string version)
    {
        Models = models;
        Colors = colors;
        Version = version;
        var modelById = models.ToDictionary(m => m.ModelId);
        var colorById = colors.ToDictionary(c => c.ColorId);
        var joined = new Dictionary<long, CarInfo>(cars.Count);
        foreach (var c in cars)
        {
            var m = modelById[c.ModelId];
            joined[c.CarId] = new CarInfo(c.CarId, c.DriverId, c.ModelId, c.ColorId, m.CarBrand, m.CarModelName, colorById[c.ColorId].ColorName);
        }

        _cars = joined.ToFrozenDictionary();
        CarIds = cars.Select(c => c.CarId).ToArray();
    }

    public static ReferenceSnapshot Empty { get; } = new([], [], [], "empty");

    public IReadOnlyList<CarModel> Models { get; }

    public IReadOnlyList<CarColor> Colors { get; }

    /// <summary>Car ids in file order; the generator draws from these so its events enrich.</summary>
    public IReadOnlyList<long> CarIds { get; }

    /// <summary>Identifies where this version came from (a content hash or ETag).</summary>
    public string Version { get; }

    public int CarCount => _cars.Count;

    public CarInfo? Lookup(long carId) => _cars.GetValueOrDefault(carId);
}
