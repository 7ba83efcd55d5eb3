using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using TrafficActors.Rules;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Web.Dashboard;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Dashboard;

/// <summary>
/// The SignalR hub as a .NET client sees it: pushed figures match a known dataset; clients can call nothing but the
/// car subscription (<see cref="CarDrillDownTests"/>).
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
[Collection(DashboardCollection.Name)]
public sealed class TrafficHubTests(ITestOutputHelper output)
{
    private const int Events = 300;
    private static readonly TimeSpan PushDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Pushes_match_the_produced_dataset_and_the_hub_refuses_other_calls()
    {
        await using var node = await DashboardTestNode.StartAsync();
        var latest = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var data = Dataset.Create(Events, DashboardTestNode.DatasetStart());
        var expected = ExpectedFigures.Of(data);
        var pushes = 0;
        var carsSeen = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var distinctCars = data.Valid.Select(e => e.CarId).Distinct().Count();

        await using var hub = new HubConnectionBuilder().WithUrl(node.Node.BaseUrl + TrafficHub.Path).Build();
        hub.On<JsonElement>(TrafficHub.UpdateMethod, update =>
        {
            Interlocked.Increment(ref pushes);
            var total = update.GetProperty("windows").EnumerateArray().Sum(w => w.GetProperty("alerts").GetInt64());
            if (total == expected.TotalViolations) latest.TrySetResult(update.Clone());
            // Shards and cars per node refresh at the heartbeat, so they may trail the window figures by a push or two.
            var member = update.GetProperty("cluster")[0];
            if (member.GetProperty("cars").ValueKind == JsonValueKind.Number && member.GetProperty("cars").GetInt32() == distinctCars) carsSeen.TrySetResult(member.Clone());
        });
        await hub.StartAsync();

        await node.ProduceAsync(data);
        var pushed = await latest.Task.WaitAsync(PushDeadline);
        output.WriteLine($"{pushes} pushes; {expected.TotalViolations} alerts expected");

        var windows = data.ExpectedWindows();
        var pushedWindows = pushed.GetProperty("windows").EnumerateArray().ToArray();
        Assert.Equal(windows.Count, pushedWindows.Length);
        foreach (var w in pushedWindows)
        {
            Dataset.AssertWindow(w, windows[w.GetProperty("window_start").GetDateTimeOffset()]);
        }

        var kpis = pushed.GetProperty("kpis");
        Assert.Equal(expected.TotalViolations, kpis.GetProperty("total_violations").GetInt64());
        Assert.Equal(expected.EngineStress, kpis.GetProperty("engine_stress").GetInt64());
        var byRule = kpis.GetProperty("by_rule").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(expected.ByRule.OrderBy(kv => kv.Key), byRule.OrderBy(kv => kv.Key));
        Assert.Equal(expected.Newest.Speed, kpis.GetProperty("latest_critical_speed").GetDouble());

        var newest = pushed.GetProperty("alerts")[0];
        Assert.Equal(expected.Newest.EventId, newest.GetProperty("event_id").GetString());
        Assert.Equal(expected.Newest.Rpm, newest.GetProperty("rpm").GetInt32());

        // The web node's rules in force, in the /api/info shape: no document, so its HOCON rules.
        var rules = pushed.GetProperty("rules");
        Assert.Equal(RuleSet.DefaultVersion, rules.GetProperty("version").GetString());
        Assert.Equal(RuleSetActor.DefaultSource, rules.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, rules.GetProperty("error").ValueKind);

        var member = Assert.Single(pushed.GetProperty("cluster").EnumerateArray());
        Assert.Equal("Up", member.GetProperty("status").GetString());
        Assert.True(member.GetProperty("self").GetBoolean());

        // One car actor per distinct car, on the only node.
        var withCars = await carsSeen.Task.WaitAsync(PushDeadline);
        Assert.True(withCars.GetProperty("shards").GetInt32() > 0);

        // Beyond SubscribeCar/UnsubscribeCar the hub declares no methods, so any other invocation is refused.
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("Pause"));
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>(nameof(Hub.OnConnectedAsync)));
    }
}
