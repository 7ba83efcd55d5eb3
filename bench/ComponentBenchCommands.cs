using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrafficActors.Host;
using TrafficActors.Settings;

namespace TrafficActors.Bench;

/// <summary>
/// <c>traffic-bench windows</c> and <c>traffic-bench serialization</c>: the cost of one part of the pipeline in
/// isolation, beside the end-to-end run of the root command.
/// </summary>
public static class ComponentBenchCommands
{
    public static IEnumerable<Command> Create() => [Windows(), Serialization()];

    private static Command Serialization()
    {
        var messages = new Option<int>("--messages") { Description = "Remote request/reply round trips per serializer", DefaultValueFactory = _ => 100_000 };
        var parallelism = new Option<int>("--parallelism") { Description = "Requests in flight", DefaultValueFactory = _ => 512 };
        var cmd = new Command("serialization", "Cross-node message cost: Akka's default JSON against the binary serializer the cluster uses");
        cmd.Options.Add(messages);
        cmd.Options.Add(parallelism);
        cmd.SetAction(async (r, ct) =>
        {
            if (r.GetValue(messages) < 1 || r.GetValue(parallelism) < 1)
            {
                AnsiConsole.MarkupLine("[red]--messages and --parallelism must be positive[/]");
                return 2;
            }

            var table = new Table().AddColumns("serializer", "car sample", "alert count", "encode+decode", "remote round trips/s");
            foreach (var serializer in SerializationBenchmark.Serializers)
            {
                AnsiConsole.MarkupLine($"[grey]{serializer}: {r.GetValue(messages):N0} round trips between two actor systems on loopback...[/]");
                var x = await SerializationBenchmark.RunAsync(serializer, r.GetValue(messages), r.GetValue(parallelism), ct);
                table.AddRow(x.Serializer, $"{x.SampleBytes} B", $"{x.AlertBytes} B", $"{x.MicrosPerRoundTrip:F2} µs",
                    x.RemoteRoundTripsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Windows()
    {
        var alerts = new Option<int>("--alerts") { Description = "Alerts to count durably", DefaultValueFactory = _ => 200_000 };
        var buckets = new Option<int>("--buckets") { Description = "Window buckets written concurrently (window x car bucket)", DefaultValueFactory = _ => 8 };
        var parallelism = new Option<int>("--parallelism") { Description = "Alerts in flight (like the ingest stream's parallelism)", DefaultValueFactory = _ => 512 };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the SQLite file goes (default: a fresh temp folder)" };
        var cmd = new Command("windows", "Durable window aggregation rate on the configured database (traffic.persistence / TRAFFIC_DB_*)");
        foreach (var o in new Option[] { alerts, buckets, parallelism, dataDir }) cmd.Options.Add(o);
        cmd.SetAction(async (r, ct) =>
        {
            var persistence = TrafficSettings.FromConfig(TrafficConfig.Load()).Persistence;
            var dir = r.GetValue(dataDir) ?? Path.Combine(Path.GetTempPath(), "traffic-bench-" + Guid.NewGuid().ToString("N"));
            AnsiConsole.MarkupLine($"Counting [bold]{r.GetValue(alerts):N0}[/] alerts into {r.GetValue(buckets)} window buckets on [bold]{persistence.Provider}[/], {r.GetValue(parallelism)} in flight...");
            var result = await WindowBenchmark.RunAsync(persistence, dir, r.GetValue(alerts), r.GetValue(buckets), r.GetValue(parallelism), ct);
            var table = new Table().AddColumns("database", "alerts", "elapsed", "alerts/s (durable)", "ack p50", "ack p99", "db size");
            table.AddRow(
                persistence.Provider, result.Alerts.ToString("N0", CultureInfo.InvariantCulture), $"{result.Elapsed.TotalSeconds:F2} s",
                result.AlertsPerSecond.ToString("N0", CultureInfo.InvariantCulture), $"{result.P50Ms:F1} ms", $"{result.P99Ms:F1} ms",
                result.DbBytes > 0 ? $"{result.DbBytes / 1024.0 / 1024.0:F1} MiB" : "-");
            AnsiConsole.Write(table);
            if (r.GetValue(dataDir) is null) Directory.Delete(dir, recursive: true);
            return 0;
        });
        return cmd;
    }
}
