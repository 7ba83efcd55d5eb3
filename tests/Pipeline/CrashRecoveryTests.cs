using System.Net.Http.Json;
using System.Text.Json;
using TrafficActors.Reference;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Pipeline;

/// <summary>
/// Separate processes, as in production: a standalone broker (<c>traffic kafka</c>) and a node killed with SIGKILL
/// mid-stream, then restarted on the same data directory. The persisted windows must equal exactly the distinct
/// alerting events produced: nothing lost, nothing counted twice.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Windows_are_exact_after_a_node_is_killed_mid_stream_and_restarted()
    {
        using var dir = new TempDir();
        using var broker = TrafficProcess.Start("kafka");
        var bootstrap = broker.WaitForLine("Kafka bootstrap:", TimeSpan.FromSeconds(60));

        // The current minute: windows stay open (2 min allowed lateness) for the whole test.
        var start = WindowKey.StartOf(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        var data = Dataset.Create(3000, start, seed: 23, spanSeconds: 90);
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        // The dataset's oracle restates the stateless rules; the stateful ones are covered by the actor tests.
        var conf = Path.Combine(dir.Path, "test.conf");
        await File.WriteAllTextAsync(conf, "traffic.rules.harsh-braking.enabled = off\ntraffic.rules.sustained-overspeed.enabled = off\n");
        var nodeArgs = $"run --no-generator --kafka-bootstrap {bootstrap} --data-dir {dir.Path} --urls {url} --config {conf}";
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };

        var first = TrafficProcess.Start(nodeArgs);
        TrafficProcess? second = null;
        try
        {
            first.WaitForLine("Node up:", TimeSpan.FromSeconds(60));
            // Produce slowly so the kill lands while events are still arriving and in flight.
            var producing = Task.Run(async () =>
            {
                foreach (var chunk in data.Messages().Chunk(100))
                {
                    await KafkaTestClient.ProduceAllAsync(bootstrap, "raw-data", chunk);
                    await Task.Delay(150);
                }
            });

            await Poll.Until(async () => (await Stats(http)).GetProperty("processed").GetInt64() >= 600, TimeSpan.FromSeconds(60), "first node processing");
            var before = (await Stats(http)).GetProperty("processed").GetInt64();
            first.Kill();
            output.WriteLine($"killed the node after {before} processed events");
            await producing;

            second = TrafficProcess.Start(nodeArgs);
            second.WaitForLine("Node up:", TimeSpan.FromSeconds(60));

            var expected = data.ExpectedWindows();
            var total = expected.Values.Sum(v => v.Count);
            JsonElement[] windows = [];
            await Poll.Until(async () =>
            {
                windows = (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!;
                return windows.Sum(w => w.GetProperty("alerts").GetInt64()) >= total;
            }, TimeSpan.FromSeconds(90), "restarted node catching up");
            await Task.Delay(1000); // anything counted twice would show up now

            windows = (await http.GetFromJsonAsync<JsonElement[]>("/api/windows?last=10"))!;
            output.WriteLine($"second node stats {await Stats(http)}");
            foreach (var w in windows) output.WriteLine($"window {w.GetProperty("window_start")}: {w.GetProperty("alerts")} (expected {expected.GetValueOrDefault(w.GetProperty("window_start").GetDateTimeOffset())?.Count})");
            Assert.Equal(expected.Count, windows.Length);
            foreach (var w in windows)
            {
                Dataset.AssertWindow(w, expected[w.GetProperty("window_start").GetDateTimeOffset()]);
            }

            output.WriteLine($"windows exact: {total} alerts in {windows.Length} windows; second node stats {await Stats(http)}");
        }
        catch
        {
            output.WriteLine("first node:\n" + first.Output);
            if (second is not null) output.WriteLine("second node:\n" + second.Output);
            throw;
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    private static async Task<JsonElement> Stats(HttpClient http) => await http.GetFromJsonAsync<JsonElement>("/api/stats");
}
