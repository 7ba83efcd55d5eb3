using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Reference;

/// <summary>The reference-data actor against a real S3 server: load, hot reload, rejection, outage, cache.</summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class S3ReferenceDataActorTests : TestKit
{
    private const string Bucket = "reference-data";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly S3Server _s3 = new();
    private readonly TempDir _dataDir = new();
    private readonly ReferenceDataStore _store = new();
    private readonly ConcurrentQueue<string> _logs = new();

    public S3ReferenceDataActorTests()
        : base(CarSystemConfig.Mailbox)
    {
        var recorder = Sys.ActorOf(Props.Create(() => new LogRecorder(_logs)));
        Sys.EventStream.Subscribe(recorder, typeof(LogEvent));
    }

    private string CacheFolder => Path.Combine(_dataDir.Path, ReferenceCache.FolderName);

    protected override void AfterAll()
    {
        base.AfterAll();
        _s3.Dispose();
        _dataDir.Dispose();
    }

    private async Task Upload(string name, string text)
    {
        using var bucket = new S3ReferenceBucket(_s3.Settings(Bucket));
        if (!await bucket.BucketExistsAsync(default)) await bucket.MakeBucketAsync(default);
        await bucket.UploadAsync(new ReferenceDocument(name, text), default);
    }

    private async Task UploadFleet(IReadOnlyList<CarRow> cars)
    {
        await Upload(ReferenceCsv.ModelsFile, ReferenceCsv.WriteModels(SeedFleet.Models));
        await Upload(ReferenceCsv.ColorsFile, ReferenceCsv.WriteColors(SeedFleet.Colors));
        await Upload(ReferenceCsv.CarsFile, ReferenceCsv.WriteCars(cars));
    }

    private IActorRef StartActor() =>
        Sys.ActorOf(ReferenceDataActor.PropsFor(new ReferenceSettings("unused", 0, TimeSpan.FromSeconds(1), _s3.Settings(Bucket)), _dataDir.Path, _store));

    private ReferenceStatus Status(IActorRef actor) => actor.Ask<ReferenceStatus>(GetReferenceStatus.Instance, Wait).Result;

    private void AwaitStatus(IActorRef actor, Func<ReferenceStatus, bool> condition) =>
        AwaitCondition(() => condition(Status(actor)), Wait, TimeSpan.FromMilliseconds(50));

    private void AssertNoSecretLogged() => Assert.DoesNotContain(_logs, l => l.Contains(_s3.SecretKey, StringComparison.Ordinal));

    [Fact]
    public async Task Loads_from_S3_and_a_repainted_car_reports_its_new_color_on_its_next_event()
    {
        var cars = SeedFleet.Cars(20).ToList();
        await UploadFleet(cars);
        var actor = StartActor();
        AwaitCondition(() => _store.IsLoaded, Wait);
        var status = Status(actor);
        Assert.Equal(20, status.Cars);
        Assert.Contains("s3://reference-data", status.Source);
        Assert.True(File.Exists(Path.Combine(CacheFolder, ReferenceCsv.CarsFile)), "validated version kept as the node's last good copy");

        var outputs = new RecordingOutputs();
        var car = cars[5];
        var carActor = Sys.ActorOf(CarActor.Props(car.CarId.ToString(System.Globalization.CultureInfo.InvariantCulture), new CarActorContext(
            new RuleSetStore(RuleSet.FromDefaults(RuleSettings.SeedDefaults), "test"), _store, outputs, new OutputSettings(true, false, true),
            new PipelineMetrics(), new TraceLimits(1, TimeSpan.FromMinutes(1)))), car.CarId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        carActor.Tell(ProcessSamples.Of(new RawEvent("before", DateTimeOffset.UtcNow, car.CarId, 60, 2500, 2)));
        ExpectMsg<SamplesProcessed>();
        Assert.True(outputs.Enriched.TryDequeue(out var before));
        Assert.Equal(SeedFleet.Colors.Single(c => c.ColorId == car.ColorId).ColorName, before.ColorName);

        var newColor = SeedFleet.Colors.First(c => c.ColorId != car.ColorId);
        cars[5] = car with { ColorId = newColor.ColorId };
        var oldVersion = _store.Current.Version;
        await Upload(ReferenceCsv.CarsFile, ReferenceCsv.WriteCars(cars));
        AwaitCondition(() => _store.Current.Version != oldVersion, Wait);

        carActor.Tell(ProcessSamples.Of(new RawEvent("after", DateTimeOffset.UtcNow.AddSeconds(1), car.CarId, 60, 2500, 2)));
        ExpectMsg<SamplesProcessed>();
        Assert.True(outputs.Enriched.TryDequeue(out var after));
        Assert.Equal(newColor.ColorName, after.ColorName);
        AssertNoSecretLogged();
    }

    [Theory]
    [InlineData(ReferenceCsv.CarsFile, "car_id,driver_id,model_id,colour_id\n", 1, "bad header")]
    [InlineData(ReferenceCsv.CarsFile, "car_id,driver_id,model_id,color_id\n1000001,100000001,1,1\n1000002,100000002,1,99\n", 3, "color_id 99 is not in car_colors")]
    [InlineData(ReferenceCsv.CarsFile, "car_id,driver_id,model_id,color_id\n1000001,100000001,1,1\n1000001,100000002,1,2\n", 3, "duplicate car_id 1000001")]
    [InlineData(ReferenceCsv.ModelsFile, "model_id,car_brand,car_model\n1,Mazda,3\nx,Kia,Rio\n", 3, "model_id 'x' is not a positive integer")]
    public async Task Malformed_new_version_is_rejected_with_file_line_and_reason_and_the_previous_version_stays(string file, string text, int line, string reason)
    {
        await UploadFleet(SeedFleet.Cars(20));
        var actor = StartActor();
        AwaitCondition(() => _store.IsLoaded, Wait);
        var good = _store.Current;

        await Upload(file, text);
        AwaitStatus(actor, s => s.LastError?.Contains(reason, StringComparison.Ordinal) == true);
        var status = Status(actor);
        Assert.Contains($"{file}:{line}: {reason}", status.LastError);
        Assert.Same(good, _store.Current);
        Assert.True(status.Loaded);
        AwaitCondition(() => _logs.Any(l => l.Contains($"{file}:{line}: {reason}", StringComparison.Ordinal)), Wait);
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task Keeps_serving_through_an_S3_outage_logs_it_once_and_recovers_by_itself()
    {
        var cars = SeedFleet.Cars(20).ToList();
        await UploadFleet(cars);
        var actor = StartActor();
        AwaitCondition(() => _store.IsLoaded, Wait);
        var good = _store.Current;

        _s3.Stop();
        AwaitStatus(actor, s => s.LastError?.Contains("unreachable", StringComparison.Ordinal) == true);
        Thread.Sleep(TimeSpan.FromSeconds(1)); // the outage lasts several retries, and none may log it again
        Assert.Same(good, _store.Current);
        Assert.Single(_logs, l => l.Contains("S3 reference source failed", StringComparison.Ordinal));

        _s3.Start();
        cars[0] = cars[0] with { DriverId = 123_456_789 };
        await Upload(ReferenceCsv.CarsFile, ReferenceCsv.WriteCars(cars));
        AwaitCondition(() => _store.Current.Lookup(cars[0].CarId)?.DriverId == 123_456_789, Wait);
        AwaitStatus(actor, s => s.LastError is null);
        Assert.Contains(_logs, l => l.Contains("answers again", StringComparison.Ordinal));
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task Starting_while_S3_is_down_serves_the_last_good_copy_or_reports_not_loaded()
    {
        _s3.Stop();
        var actor = StartActor();
        AwaitStatus(actor, s => s.LastError is not null);
        Thread.Sleep(TimeSpan.FromMilliseconds(300)); // retries meanwhile find nothing to serve
        Assert.False(Status(actor).Loaded);
        Assert.False(_store.IsLoaded);
        Sys.Stop(actor);

        new ReferenceCache(CacheFolder).Save(
        [
            new(ReferenceCsv.ModelsFile, ReferenceCsv.WriteModels(SeedFleet.Models)),
            new(ReferenceCsv.ColorsFile, ReferenceCsv.WriteColors(SeedFleet.Colors)),
            new(ReferenceCsv.CarsFile, ReferenceCsv.WriteCars(SeedFleet.Cars(30))),
        ]);
        actor = StartActor();
        AwaitCondition(() => _store.IsLoaded, Wait);
        Assert.Equal(30, _store.Current.CarCount);
        Assert.Contains("last good copy", Status(actor).Source);

        _s3.Start();
        await UploadFleet(SeedFleet.Cars(40));
        AwaitCondition(() => _store.Current.CarCount == 40, Wait);
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task Wrong_credentials_are_reported_clearly_without_the_secret()
    {
        await UploadFleet(SeedFleet.Cars(20));
        const string wrongSecret = "definitely-wrong-secret";
        var settings = _s3.Settings(Bucket) with { SecretKey = wrongSecret };
        var actor = Sys.ActorOf(ReferenceDataActor.PropsFor(new ReferenceSettings("unused", 0, TimeSpan.FromSeconds(1), settings), _dataDir.Path, _store));
        AwaitStatus(actor, s => s.LastError is not null);
        Assert.Contains("rejected the credentials", Status(actor).LastError);
        Assert.False(_store.IsLoaded);
        AwaitCondition(() => _logs.Any(l => l.Contains("rejected the credentials", StringComparison.Ordinal)), Wait);
        Assert.DoesNotContain(_logs, l => l.Contains(wrongSecret, StringComparison.Ordinal));
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task Json_reference_objects_are_accepted()
    {
        using var bucket = new S3ReferenceBucket(_s3.Settings(Bucket));
        await bucket.MakeBucketAsync(default);
        await Upload("car_models.json", """[{"model_id": 1, "car_brand": "Mazda", "car_model": "3"}]""");
        await Upload("car_colors.json", """[{"color_id": 1, "color_name": "Black"}, {"color_id": "2", "color_name": "Red"}]""");
        await Upload("cars.json", """[{"car_id": 1234567, "driver_id": 123456789, "model_id": 1, "color_id": 2}]""");
        StartActor();
        AwaitCondition(() => _store.IsLoaded, Wait);
        Assert.Equal("Red", _store.Current.Lookup(1234567)?.ColorName);
    }

    private sealed class LogRecorder : ReceiveActor
    {
        public LogRecorder(ConcurrentQueue<string> logs) => Receive<LogEvent>(e => logs.Enqueue(e.ToString()));
    }
}
