using TrafficActors.Reference;
using TrafficActors.Settings;
using Xunit;

namespace TrafficActors.Tests.Reference;

[Trait(Tier.Name, Tier.Fast)]
public sealed class ReferenceFormatTests
{
    [Fact]
    public void Json_errors_name_the_file_and_the_line_where_the_object_starts()
    {
        var models = new ReferenceDocument("car_models.json", """[{"model_id": 1, "car_brand": "Mazda", "car_model": "3"}]""");
        var colors = new ReferenceDocument("car_colors.csv", "color_id,color_name\n1,Black\n");
        var cars = new ReferenceDocument("cars.json", "[\n  {\"car_id\": 1, \"driver_id\": 2, \"model_id\": 1, \"color_id\": 1},\n  {\"car_id\": 3, \"driver_id\": 4, \"model_id\": 1}\n]");
        var ex = Assert.Throws<ReferenceDataException>(() => ReferenceCsv.Parse(models, colors, cars));
        Assert.Equal("cars.json:3: missing field 'color_id'", ex.Message);
        var invalid = Assert.Throws<ReferenceDataException>(() => ReferenceCsv.Parse(models, colors, cars with { Text = "{}" }));
        Assert.Contains("expected a JSON array", invalid.Message);
    }

    [Fact]
    public void Dot_env_lines_are_read_like_the_seeds_compose_file()
    {
        var values = DotEnvFile.Parse("# MinIO\nMINIO_ROOT_USER=admin\nexport AWS_SECRET_ACCESS_KEY=\"p4ss word\"\nAWS_ENDPOINT_URL=http://minio:9000 # local\nnot a line\n");
        Assert.Equal("admin", values["MINIO_ROOT_USER"]);
        Assert.Equal("p4ss word", values["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("http://minio:9000", values["AWS_ENDPOINT_URL"]);
        Assert.Equal(3, values.Count);
    }

    [Fact]
    public void S3_settings_never_print_the_secret()
    {
        var s = new ReferenceS3Settings("http://user:pw@minio:9000/x", "key", "top-secret", "us-east-1", "b", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal("s3://b at http://minio:9000", s.ToString());
        Assert.DoesNotContain("top-secret", s.ToString());
    }
}
