using Spectre.Console;
using TrafficActors.Host.Init;
using TrafficActors.Host.Commands;
using TrafficActors.Reference;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Reference;

/// <summary><c>traffic init</c> against a real S3 server.</summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class S3InitTests : IDisposable
{
    private readonly S3Server _s3 = new();

    public void Dispose() => _s3.Dispose();

    private async Task<(int Code, string Output)> Init(string bucket, bool force = false, int? cars = null, string? secret = null, string? endpoint = null)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        var hocon = _s3.Hocon(bucket, secret);
        if (endpoint is not null) hocon += $"\ntraffic.reference.s3.endpoint = \"{endpoint}\"";
        // No real broker in these tests: the topic step must report itself skipped.
        hocon += "\ntraffic.kafka.bootstrap-servers = \"\"";
        var code = await ReferenceInitializer.RunAsync(new InitOptions { Force = force, Cars = cars, ExtraHocon = hocon }, console, CancellationToken.None);
        return (code, writer.ToString());
    }

    [Fact]
    public async Task Init_on_an_empty_server_creates_the_bucket_and_objects_twice_is_harmless_and_force_replaces()
    {
        var (code, output) = await Init("fresh-bucket");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("bucket fresh-bucket: created", output);
        Assert.Contains("cars.csv: uploaded", output);
        Assert.Contains("Kafka topics: skipped", output);

        using var bucket = new S3ReferenceBucket(_s3.Settings("fresh-bucket"));
        var first = await bucket.LocateAsync(CancellationToken.None);
        var loaded = ReferenceCsv.Parse(
            await bucket.DownloadAsync(first[0].Name, default), await bucket.DownloadAsync(first[1].Name, default), await bucket.DownloadAsync(first[2].Name, default));
        Assert.Equal(20, loaded.CarCount);

        (code, output) = await Init("fresh-bucket");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("bucket fresh-bucket: already there", output);
        Assert.Contains("cars.csv: already there", output);
        Assert.Equal(first, await bucket.LocateAsync(CancellationToken.None));

        (code, output) = await Init("fresh-bucket", force: true, cars: 500);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("cars.csv: replaced", output);
        var cars = await bucket.DownloadAsync(ReferenceCsv.CarsFile, default);
        Assert.Equal(ReferenceCsv.WriteCars(SeedFleet.Cars(500)), cars.Text);
        Assert.DoesNotContain(_s3.SecretKey, output);
    }

    [Fact]
    public async Task Wrong_credentials_unreachable_endpoint_and_bad_bucket_fail_with_one_line_reason_and_no_secret()
    {
        const string wrongSecret = "wrong-secret-value-123";
        var (code, output) = await Init("any-bucket", secret: wrongSecret);
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("rejected the credentials", output);
        Assert.DoesNotContain(wrongSecret, output);
        Assert.DoesNotContain(_s3.SecretKey, output);

        _s3.Stop();
        (code, output) = await Init("any-bucket");
        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains("is unreachable", output);

        (code, output) = await Init("Not_A_Bucket");
        Assert.Equal(ExitCodes.InvalidBucket, code);
        Assert.Contains("bucket name 'Not_A_Bucket' is invalid", output);
        Assert.DoesNotContain(_s3.SecretKey, output);
    }
}
