using System.Diagnostics;
using System.Text.Json;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Bench;

/// <summary>
/// The benchmark in smoke mode (a few seconds, tiny sizes) as a real child process: every phase must run and report
/// its figures. A correctness check, never a timing assertion: the figures themselves are not judged.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class BenchSmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("fleet")]
    [InlineData("seed")]
    public async Task Smoke_run_reports_every_figure_and_the_pipeline_finds_the_baselines_alerts(string workload)
    {
        var dll = BenchBinary();
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" --smoke --workload {workload} --json")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stderr);
        Assert.Equal(0, process.ExitCode);

        using var json = JsonDocument.Parse(await stdout);
        var r = json.RootElement;
        output.WriteLine(r.ToString());
        Assert.True(r.GetProperty("smoke").GetBoolean());
        Assert.Equal(workload, r.GetProperty("workload").GetString());
        foreach (var field in new[] { "throughput_eps", "baseline_eps", "ratio", "p99_ms_at_10k", "p99_ms_at_20k", "p99_ms_at_50k", "bytes_per_car", "cpu_us_per_event", "baseline_cpu_us_per_event" })
            Assert.True(r.GetProperty(field).GetDouble() > 0, $"{field} should be a positive figure");
        Assert.Equal(3, r.GetProperty("latency").GetArrayLength());
        Assert.All(r.GetProperty("latency").EnumerateArray(), l => Assert.True(l.GetProperty("events").GetInt64() > 0));
        Assert.Equal(2, r.GetProperty("memory").GetArrayLength());
        Assert.True(r.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
        foreach (var phase in new[] { "pipeline", "baseline" })
            Assert.True(r.GetProperty(phase).GetProperty("allocated_bytes_per_event").GetDouble() > 0, $"{phase} should report its allocations");

        // Same data, same rules: the pipeline durably counted exactly the events the bare consumer found alerting.
        var baselineAlerts = r.GetProperty("baseline").GetProperty("alerts").GetInt64();
        Assert.True(baselineAlerts > 0, "the generated mix should contain alerting events");
        Assert.Equal(baselineAlerts, r.GetProperty("pipeline").GetProperty("alerts").GetInt64());
    }

    /// <summary>
    /// The benchmark as the solution build left it, in the same configuration as these tests: it is its own
    /// program, not a dependency of the tests.
    /// </summary>
    internal static string BenchBinary()
    {
        var layout = Path.GetRelativePath(RepositoryRoot.File("tests"), AppContext.BaseDirectory);
        var dll = RepositoryRoot.File("bench", layout, "traffic-bench.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first (./test.sh does)");
        return dll;
    }
}
