namespace TrafficActors.Reference;

/// <summary>
/// The seed's reference data and a deterministic fleet of any size: the same count always yields the same cars,
/// so a generator and a node that were started separately agree on which car ids exist.
/// </summary>
public static class SeedFleet
{
    public const int MaxCars = 1_000_000;

    public static IReadOnlyList<CarModel> Models { get; } =
    [
        new(1, "Mazda", "3"), new(2, "Mazda", "6"), new(3, "Toyota", "Corolla"), new(4, "Hyundai", "i20"),
        new(5, "Kia", "Sportage"), new(6, "Kia", "Rio"), new(7, "Kia", "Picanto"),
    ];

    public static IReadOnlyList<CarColor> Colors { get; } =
    [
        new(1, "Black"), new(2, "Red"), new(3, "Gray"), new(4, "White"), new(5, "Green"), new(6, "Blue"), new(7, "Pink"),
    ];

    /// <summary>
    /// Car i gets a 7-digit id inside its own block of nine ids (so ids are unique without a set) and a 9-digit
    /// driver id; model and color come from a fixed hash so the fleet never depends on a PRNG implementation.
    /// </summary>
    public static IReadOnlyList<CarRow> Cars(int count)
    {
        if (count is < 1 or > MaxCars)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"car count must be 1..{MaxCars}");
        var cars = new CarRow[count];
        for (var i = 0; i < count; i++)
        {
            var h = Mix((ulong)i);
            var carId = 1_000_000L + (i * 9L) + (long)(h % 9);
            var driverId = 100_000_000L + (long)((h >> 8) % 899_999_999UL);
            var model = (int)((h >> 40) % 7) + 1;
            var color = (int)((h >> 48) % 7) + 1;
            cars[i] = new CarRow(carId, driverId, model, color);
        }

        return cars;
    }

    public static ReferenceSnapshot Snapshot(int cars) => new(Models, Colors, Cars(cars), $"seed-fleet/{cars}");

    /// <summary>Writes the three CSV files for a fleet of <paramref name="cars"/> into <paramref name="folder"/>.</summary>
    public static void WriteFolder(string folder, int cars)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ReferenceCsv.ModelsFile), ReferenceCsv.WriteModels(Models));
        File.WriteAllText(Path.Combine(folder, ReferenceCsv.ColorsFile), ReferenceCsv.WriteColors(Colors));
        File.WriteAllText(Path.Combine(folder, ReferenceCsv.CarsFile), ReferenceCsv.WriteCars(Cars(cars)));
    }

    // SplitMix64 finaliser: a stable, well-spread hash of the car index.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
