using TrafficActors.Reference;
using Xunit;

namespace TrafficActors.Tests.Reference;

[Trait(Tier.Name, Tier.Fast)]
public sealed class ReferenceCsvTests
{
    [Fact]
    public void Shipped_reference_files_hold_the_seed_data_and_a_20_car_fleet()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "data", "reference");
        var snapshot = ReferenceCsv.LoadFolder(folder);
        Assert.Equal(["Mazda 3", "Mazda 6", "Toyota Corolla", "Hyundai i20", "Kia Sportage", "Kia Rio", "Kia Picanto"],
            snapshot.Models.Select(m => $"{m.CarBrand} {m.CarModelName}"));
        Assert.Equal(["Black", "Red", "Gray", "White", "Green", "Blue", "Pink"], snapshot.Colors.Select(c => c.ColorName));
        Assert.Equal(20, snapshot.CarCount);
        Assert.Equal(SeedFleet.Cars(20).Select(c => c.CarId), snapshot.CarIds);
    }

    [Fact]
    public void Fleet_is_deterministic_unique_and_has_seed_id_lengths()
    {
        var a = SeedFleet.Cars(100_000);
        Assert.Equal(a, SeedFleet.Cars(100_000));
        Assert.Equal(a.Count, a.Select(c => c.CarId).Distinct().Count());
        Assert.All(a, c =>
        {
            Assert.InRange(c.CarId, 1_000_000, 9_999_999);
            Assert.InRange(c.DriverId, 100_000_000, 999_999_999);
            Assert.InRange(c.ModelId, 1, 7);
            Assert.InRange(c.ColorId, 1, 7);
        });
        Assert.Equal(SeedFleet.Cars(20), a.Take(20));
        var max = SeedFleet.Cars(SeedFleet.MaxCars);
        Assert.InRange(max[^1].CarId, 1_000_000, 9_999_999);
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedFleet.Cars(SeedFleet.MaxCars + 1));
    }

    [Fact]
    public void Written_fleet_loads_back_and_joins_names()
    {
        var dir = Path.Combine(Path.GetTempPath(), "traffic-ref-" + Guid.NewGuid().ToString("N"));
        try
        {
            SeedFleet.WriteFolder(dir, 500);
            var snapshot = ReferenceCsv.LoadFolder(dir);
            Assert.Equal(500, snapshot.CarCount);
            var row = SeedFleet.Cars(500)[42];
            var info = snapshot.Lookup(row.CarId)!;
            Assert.Equal(row.DriverId, info.DriverId);
            Assert.Equal(SeedFleet.Models[row.ModelId - 1].CarBrand, info.BrandName);
            Assert.Equal(SeedFleet.Colors[row.ColorId - 1].ColorName, info.ColorName);
            Assert.Null(snapshot.Lookup(42));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("car_id,driver,model_id,color_id\n1000001,123456789,1,1\n", 1, "bad header")]
    [InlineData("car_id,driver_id,model_id,color_id\n1000001,123456789,1\n", 2, "expected 4 columns, found 3")]
    [InlineData("car_id,driver_id,model_id,color_id\n1000001,123456789,1,1\n1000001,123456780,2,2\n", 3, "duplicate car_id 1000001")]
    [InlineData("car_id,driver_id,model_id,color_id\n1000001,123456789,9,1\n", 2, "model_id 9 is not in car_models")]
    [InlineData("car_id,driver_id,model_id,color_id\n1000001,123456789,1,8\n", 2, "color_id 8 is not in car_colors")]
    [InlineData("car_id,driver_id,model_id,color_id\nabc,123456789,1,1\n", 2, "car_id 'abc' is not a positive integer")]
    public void Bad_cars_file_is_rejected_with_line_and_reason(string text, int line, string reason)
    {
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceCsv.ReadCars("cars.csv", text, SeedFleet.Models, SeedFleet.Colors));
        Assert.Equal("cars.csv", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.StartsWith(reason, ex.Reason);
    }

    [Fact]
    public void Duplicate_model_and_empty_color_are_rejected()
    {
        Assert.Contains("duplicate model_id 1", Assert.Throws<ReferenceDataException>(() =>
            ReferenceCsv.ReadModels("car_models.csv", "model_id,car_brand,car_model\n1,Mazda,3\n1,Kia,Rio\n")).Message);
        Assert.Contains("car_colors.csv:2: color_name is empty", Assert.Throws<ReferenceDataException>(() =>
            ReferenceCsv.ReadColors("car_colors.csv", "color_id,color_name\n1,\n")).Message);
    }
}
