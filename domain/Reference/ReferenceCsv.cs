using System.Globalization;
using System.Security.Cryptography;

namespace TrafficActors.Reference;

/// <summary>
/// Reads and writes the seed's three reference CSV files. The format is plain comma-separated integers and
/// names without quoting, so a hand parser is smaller and stricter than a CSV library here; every rejection
/// names the file, line and reason.
/// </summary>
public static class ReferenceCsv
{
    public const string ModelsFile = "car_models.csv";
    public const string ColorsFile = "car_colors.csv";
    public const string CarsFile = "cars.csv";

    /// <summary>Reference object names, in load order; each may be stored as .csv or .json.</summary>
    public static IReadOnlyList<string> Files { get; } = [ModelsFile, ColorsFile, CarsFile];

    public static string JsonName(string csvName) => Path.ChangeExtension(csvName, ".json");

    internal static readonly string[] ModelsHeader = ["model_id", "car_brand", "car_model"];
    internal static readonly string[] ColorsHeader = ["color_id", "color_name"];
    internal static readonly string[] CarsHeader = ["car_id", "driver_id", "model_id", "color_id"];

    /// <summary>Loads and cross-validates the three files in <paramref name="folder"/>.</summary>
    public static ReferenceSnapshot LoadFolder(string folder)
    {
        var models = ReadModels(ModelsFile, File.ReadAllText(Path.Combine(folder, ModelsFile)));
        var colors = ReadColors(ColorsFile, File.ReadAllText(Path.Combine(folder, ColorsFile)));
        var carsText = File.ReadAllText(Path.Combine(folder, CarsFile));
        var cars = ReadCars(CarsFile, carsText, models, colors);
        return new ReferenceSnapshot(models, colors, cars, Hash(carsText, models.Count, colors.Count));
    }

    /// <summary>
    /// Parses and cross-validates one version given as documents (CSV, or JSON when the name ends in .json); the
    /// version id is a hash of the cars content, so the same data has the same version wherever it was read from.
    /// </summary>
    public static ReferenceSnapshot Parse(ReferenceDocument models, ReferenceDocument colors, ReferenceDocument cars)
    {
        var m = Models(models.Name, RowsOf(models, ModelsHeader));
        var c = Colors(colors.Name, RowsOf(colors, ColorsHeader));
        var rows = Cars(cars.Name, RowsOf(cars, CarsHeader), m, c);
        return new ReferenceSnapshot(m, c, rows, Hash(cars.Text, m.Count, c.Count));
    }

    public static IReadOnlyList<CarModel> ReadModels(string file, string text) => Models(file, Rows(file, text, ModelsHeader));

    public static IReadOnlyList<CarColor> ReadColors(string file, string text) => Colors(file, Rows(file, text, ColorsHeader));

    public static IReadOnlyList<CarRow> ReadCars(string file, string text, IReadOnlyList<CarModel> models, IReadOnlyList<CarColor> colors) =>
        Cars(file, Rows(file, text, CarsHeader), models, colors);

    private static IEnumerable<(int Line, string[] Cells)> RowsOf(ReferenceDocument doc, string[] header) =>
        doc.IsJson ? ReferenceJson.Rows(doc.Name, doc.Text, header) : Rows(doc.Name, doc.Text, header);

    private static List<CarModel> Models(string file, IEnumerable<(int Line, string[] Cells)> rows)
    {
        var result = new List<CarModel>();
        var seen = new HashSet<int>();
        foreach (var (line, cells) in rows)
        {
            var id = Int(file, line, "model_id", cells[0]);
            if (!seen.Add(id)) throw new ReferenceDataException(file, line, $"duplicate model_id {id}");
            result.Add(new CarModel(id, Name(file, line, "car_brand", cells[1]), Name(file, line, "car_model", cells[2])));
        }

        return result;
    }

    private static List<CarColor> Colors(string file, IEnumerable<(int Line, string[] Cells)> rows)
    {
        var result = new List<CarColor>();
        var seen = new HashSet<int>();
        foreach (var (line, cells) in rows)
        {
            var id = Int(file, line, "color_id", cells[0]);
            if (!seen.Add(id)) throw new ReferenceDataException(file, line, $"duplicate color_id {id}");
            result.Add(new CarColor(id, Name(file, line, "color_name", cells[1])));
        }

        return result;
    }

    private static List<CarRow> Cars(string file, IEnumerable<(int Line, string[] Cells)> rows, IReadOnlyList<CarModel> models, IReadOnlyList<CarColor> colors)
    {
        var modelIds = models.Select(m => m.ModelId).ToHashSet();
        var colorIds = colors.Select(c => c.ColorId).ToHashSet();
        var result = new List<CarRow>();
        var seen = new HashSet<long>();
        foreach (var (line, cells) in rows)
        {
            var carId = Long(file, line, "car_id", cells[0]);
            if (!seen.Add(carId)) throw new ReferenceDataException(file, line, $"duplicate car_id {carId}");
            var driverId = Long(file, line, "driver_id", cells[1]);
            var modelId = Int(file, line, "model_id", cells[2]);
            var colorId = Int(file, line, "color_id", cells[3]);
            if (!modelIds.Contains(modelId)) throw new ReferenceDataException(file, line, $"model_id {modelId} is not in car_models");
            if (!colorIds.Contains(colorId)) throw new ReferenceDataException(file, line, $"color_id {colorId} is not in car_colors");
            result.Add(new CarRow(carId, driverId, modelId, colorId));
        }

        return result;
    }

    public static string WriteModels(IEnumerable<CarModel> models) =>
        Join(ModelsHeader, models.Select(m => $"{m.ModelId},{m.CarBrand},{m.CarModelName}"));

    public static string WriteColors(IEnumerable<CarColor> colors) =>
        Join(ColorsHeader, colors.Select(c => $"{c.ColorId},{c.ColorName}"));

    public static string WriteCars(IEnumerable<CarRow> cars) =>
        Join(CarsHeader, cars.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.CarId},{c.DriverId},{c.ModelId},{c.ColorId}")));

    private static string Join(string[] header, IEnumerable<string> rows) =>
        string.Join(',', header) + "\n" + string.Concat(rows.Select(r => r + "\n"));

    private static IEnumerable<(int Line, string[] Cells)> Rows(string file, string text, string[] header)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || lines[0].Trim().Length == 0)
            throw new ReferenceDataException(file, 1, $"missing header, expected '{string.Join(',', header)}'");
        var actual = lines[0].TrimStart('\uFEFF').Split(',').Select(h => h.Trim()).ToArray();
        if (!actual.SequenceEqual(header, StringComparer.OrdinalIgnoreCase))
            throw new ReferenceDataException(file, 1, $"bad header '{lines[0].Trim()}', expected '{string.Join(',', header)}'");
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new ReferenceDataException(file, i + 1, $"expected {header.Length} columns, found {cells.Length}");
            yield return (i + 1, cells.Select(c => c.Trim()).ToArray());
        }
    }

    private static int Int(string file, int line, string column, string cell) =>
        int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new ReferenceDataException(file, line, $"{column} '{cell}' is not a positive integer");

    private static long Long(string file, int line, string column, string cell) =>
        long.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new ReferenceDataException(file, line, $"{column} '{cell}' is not a positive integer");

    private static string Name(string file, int line, string column, string cell) =>
        cell.Length > 0 ? string.Intern(cell) : throw new ReferenceDataException(file, line, $"{column} is empty");

    private static string Hash(string carsText, int models, int colors)
    {
        var bytes = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(carsText));
        return $"sha256:{Convert.ToHexStringLower(bytes)[..16]}/{models}m/{colors}c";
    }
}
