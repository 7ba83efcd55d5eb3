using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;
using TrafficActors.Domain;
using TrafficActors.Host.Init;
using TrafficActors.Host.Node;
using TrafficActors.Reference;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Reference;

/// <summary>What the README promises: <c>traffic init</c>, then a node that enriches from the bucket.</summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class S3InitThenRunTests
{
    [Fact]
    public async Task A_node_started_after_init_enriches_from_the_bucket_fleet()
    {
        using var s3 = new S3Server();
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        var hocon = s3.Hocon("fleet-50");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(new StringWriter()) });
        var code = await ReferenceInitializer.RunAsync(
            new InitOptions { Cars = 50, ExtraHocon = hocon + "\ntraffic.kafka.bootstrap-servers = \"\"" }, console, CancellationToken.None);
        Assert.Equal(0, code);

        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, hocon + "\ntraffic.windows.publish-interval = 50ms"));

        // Car #45 exists only in the 50-car fleet uploaded by init, not in the 20 cars shipped in the repo.
        var car = SeedFleet.Cars(50)[45];
        var expected = SeedFleet.Snapshot(50).Lookup(car.CarId)!;
        var alert = new RawEvent("s3-run-1", DateTimeOffset.UtcNow, car.CarId, 150, 7000, 1);
        await KafkaTestClient.ProduceAllAsync(broker.BootstrapServers, "raw-data", [(WireFormat.CarKey(car.CarId), WireFormat.ToJson(alert))]);

        var read = KafkaTestClient.ReadTopic(broker.BootstrapServers, "alert-data", r => r.Count >= 1, TimeSpan.FromSeconds(30));
        var produced = WireFormat.ReadAlert(Assert.Single(read).Message.Value);
        Assert.Equal(expected.ColorName, produced.Sample.ColorName);
        Assert.Equal(expected.DriverId, produced.Sample.DriverId);
        Assert.Equal(expected.BrandName, produced.Sample.BrandName);

        using var http = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        var info = await http.GetFromJsonAsync<JsonElement>("/api/info");
        Assert.Equal(50, info.GetProperty("reference").GetProperty("cars").GetInt32());
        Assert.Equal(0, info.GetProperty("stats").GetProperty("unknown_cars").GetInt64());
    }
}
