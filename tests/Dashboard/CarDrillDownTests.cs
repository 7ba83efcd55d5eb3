using System.Globalization;
using System.Net;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Reference;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using TrafficActors.Web.Dashboard;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Dashboard;

/// <summary>
/// A car's drill-down on one node fed a known dataset: <c>GET /api/cars/{id}</c> answers a known car with the
/// dataset's figures and trace, an unknown id with 404 (starting no actor), a malformed one with 400; a hub
/// connection that subscribes to a car gets its status pushed as new samples arrive, and is refused what it may not do.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
[Collection(DashboardCollection.Name)]
public sealed class CarDrillDownTests(CarDrillDownTests.Fixture node, ITestOutputHelper output) : IClassFixture<CarDrillDownTests.Fixture>
{
    // Not in the 20-car fleet the node loads (seed fleet ids are 7-digit, from 1,000,000 up in blocks of nine).
    private const long NeverSeen = 9_999_998;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_known_car_answers_its_reference_data_placement_counts_and_trace()
    {
        var car = node.Busiest(0);
        var events = node.Data.Valid.Where(e => e.CarId == car).ToList();
        using var body = await GetAsync($"/api/cars/{car}", HttpStatusCode.OK);
        var d = body.RootElement;

        var info = SeedFleet.Snapshot(20).Lookup(car)!;
        Assert.Equal(car, d.GetProperty("car_id").GetInt64());
        Assert.Equal(info.DriverId, d.GetProperty("driver_id").GetInt64());
        Assert.Equal((info.BrandName, info.ModelName, info.ColorName), (d.GetProperty("brand_name").GetString(), d.GetProperty("model_name").GetString(), d.GetProperty("color_name").GetString()));
        Assert.Equal(Cluster.Get(node.Node.Node.ActorSystem).SelfAddress.ToString(), d.GetProperty("node").GetString());
        var id = car.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(new CarMessageExtractor(node.Node.Node.Settings.Cars.Placement).ShardId(id, new GetCarStatus(car)), d.GetProperty("shard_id").GetString());

        Assert.Equal(events.Count, d.GetProperty("samples").GetInt64());
        var alerting = events.Where(e => Dataset.ExpectedViolations(e).Count > 0).ToList();
        Assert.Equal(alerting.Count, d.GetProperty("alerts").GetInt64());
        var byRule = alerting.SelectMany(Dataset.ExpectedViolations).GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(byRule.OrderBy(kv => kv.Key), d.GetProperty("alerts_by_rule").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()).OrderBy(kv => kv.Key));
        Assert.Equal(events[^1].EventId, d.GetProperty("last_sample").GetProperty("event_id").GetString());

        // Every event of the car is in its trace (fewer than the ring holds, all within the span), oldest first.
        Assert.True(events.Count <= node.Node.Node.Settings.Cars.Trace.Samples, $"{events.Count} events exceed the ring");
        var trace = d.GetProperty("trace").EnumerateArray().ToArray();
        Assert.Equal(
            events.Select(e => (e.EventTime, e.Speed, e.Rpm, e.Gear)),
            trace.Select(p => (p.GetProperty("event_time").GetDateTimeOffset(), p.GetProperty("speed").GetDouble(), p.GetProperty("rpm").GetInt32(), p.GetProperty("gear").GetInt32())));
        output.WriteLine($"car {car}: {events.Count} samples, {alerting.Count} alerts, shard {d.GetProperty("shard_id").GetString()}");
    }

    [Fact]
    public async Task An_unknown_car_is_404_with_a_reason_and_neither_the_api_nor_the_hub_starts_an_actor_for_it()
    {
        var before = await EntitiesAsync();
        Assert.Contains(Dataset.UnknownCar.ToString(CultureInfo.InvariantCulture), before); // it sent telemetry, so it has an actor...

        foreach (var unknown in new[] { NeverSeen, Dataset.UnknownCar }) // ...but no reference data: unknown all the same
        {
            using var body = await GetAsync($"/api/cars/{unknown}", HttpStatusCode.NotFound);
            Assert.Contains($"car {unknown} is not in the reference data", body.RootElement.GetProperty("error").GetString());
        }

        await using var hub = await ConnectAsync();
        Assert.Contains("not in the reference data", await RefusedAsync(hub, NeverSeen.ToString(CultureInfo.InvariantCulture)));

        var after = await EntitiesAsync();
        Assert.Equal(before.Order(StringComparer.Ordinal), after.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(NeverSeen.ToString(CultureInfo.InvariantCulture), after);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-7")]
    [InlineData("1.5")]
    [InlineData("10000000000")]
    public async Task A_malformed_id_is_400_with_the_rule(string id)
    {
        using var body = await GetAsync($"/api/cars/{Uri.EscapeDataString(id)}", HttpStatusCode.BadRequest);
        var error = Assert.Single(body.RootElement.EnumerateObject());
        Assert.Equal("error", error.Name);
        Assert.Equal($"car id must be a positive integer up to 9999999999, got '{id}'", error.Value.GetString());
    }

    [Fact]
    public async Task A_subscribed_connection_gets_its_car_pushed_as_new_samples_arrive_within_its_bounds()
    {
        var car = node.Busiest(1);
        var id = car.ToString(CultureInfo.InvariantCulture);
        var known = node.Data.Valid.Count(e => e.CarId == car);
        // After every event of the dataset, so they end the car's trace.
        var after = node.Data.Valid.Max(e => e.EventTime);
        var extra = Enumerable.Range(1, 3)
            .Select(i => new RawEvent($"drill-{i}", after.AddSeconds(i), car, 140 + i, 6500, 5))
            .ToList();
        var pushes = new List<JsonElement>();
        var fresh = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var hub = await ConnectAsync();
        hub.On<JsonElement>(TrafficHub.CarMethod, d =>
        {
            lock (pushes) pushes.Add(d.Clone());
            Assert.Equal(car, d.GetProperty("car_id").GetInt64());
            first.TrySetResult(d.Clone());
            if (d.GetProperty("samples").GetInt64() == known + extra.Count) fresh.TrySetResult(d.Clone());
        });
        await SubscribeAsync(hub, id);
        Assert.Equal(known, (await first.Task.WaitAsync(Deadline)).GetProperty("samples").GetInt64());

        var more = new Dataset();
        more.Valid.AddRange(extra);
        await node.Node.ProduceAsync(more);
        var pushed = await fresh.Task.WaitAsync(Deadline);
        Assert.Equal("drill-3", pushed.GetProperty("last_sample").GetProperty("event_id").GetString());
        Assert.Equal(143, pushed.GetProperty("trace").EnumerateArray().Last().GetProperty("speed").GetDouble());
        output.WriteLine($"{pushes.Count} pushes of car {car}");

        // Bounds: a malformed id, and a fifth car on one connection (traffic.dashboard.max-cars-per-connection = 4).
        Assert.StartsWith("car id must be a positive integer", await RefusedAsync(hub, "12ab"));
        foreach (var other in Enumerable.Range(2, 3).Select(node.Busiest)) await SubscribeAsync(hub, other.ToString(CultureInfo.InvariantCulture));
        var fifth = node.Busiest(5).ToString(CultureInfo.InvariantCulture);
        Assert.Contains("at most 4 cars", await RefusedAsync(hub, fifth));
        await hub.InvokeAsync<JsonElement>("UnsubscribeCar", id);
        await SubscribeAsync(hub, fifth);
    }

    private static async Task SubscribeAsync(HubConnection hub, string carId)
    {
        var answer = await hub.InvokeAsync<JsonElement>("SubscribeCar", carId);
        Assert.True(answer.GetProperty("watching").GetBoolean(), answer.ToString());
    }

    /// <summary>The reason a subscription was refused (the call itself succeeds: a refusal is an answer).</summary>
    private static async Task<string> RefusedAsync(HubConnection hub, string carId)
    {
        var answer = await hub.InvokeAsync<JsonElement>("SubscribeCar", carId);
        Assert.False(answer.GetProperty("watching").GetBoolean(), $"{carId}: {answer}");
        return answer.GetProperty("error").GetString()!;
    }

    private async Task<JsonDocument> GetAsync(string path, HttpStatusCode expected)
    {
        using var answer = await node.Http.GetAsync(node.Node.Node.BaseUrl + path);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == expected, $"{path}: {(int)answer.StatusCode} {text}");
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text);
    }

    private async Task<HubConnection> ConnectAsync()
    {
        var hub = new HubConnectionBuilder().WithUrl(node.Node.Node.BaseUrl + TrafficHub.Path).Build();
        await hub.StartAsync();
        return hub;
    }

    /// <summary>Ids of every car entity the node's region holds.</summary>
    private async Task<string[]> EntitiesAsync()
    {
        var region = ActorRegistry.For(node.Node.Node.ActorSystem).Get<CarActor>();
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Deadline);
        return state.Shards.SelectMany(s => s.EntityIds).ToArray();
    }

    /// <summary>One node for the class, fed one dataset and waited on until every valid event is processed.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private DashboardTestNode? _node;

        internal DashboardTestNode Node => _node ?? throw new InvalidOperationException("not started");

        internal Dataset Data { get; } = Dataset.Create(300, DashboardTestNode.DatasetStart());

        public HttpClient Http { get; } = new();

        /// <summary>The known car with the <paramref name="rank"/>-th most events (0 = most), ties broken by id.</summary>
        public long Busiest(int rank) => Data.Valid.Where(e => e.CarId != Dataset.UnknownCar).GroupBy(e => e.CarId)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ElementAt(rank);

        public async Task InitializeAsync()
        {
            _node = await DashboardTestNode.StartAsync();
            await _node.ProduceAsync(Data);
            await Poll.Until(() => _node.Node.Metrics.Processed >= Data.Valid.Count, Deadline, () => $"{Data.Valid.Count} events processed, {_node.Node.Metrics.Processed} so far");
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            if (_node is not null) await _node.DisposeAsync();
        }
    }
}
