using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TrafficActors.Bench;
using TrafficActors.Host.Commands;
using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Settings;

// Progress and the node's own logging go to stderr, so `--json` leaves exactly one JSON object on stdout.
var stdout = Console.Out;
Console.SetOut(Console.Error);

var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
var smoke = new Option<bool>("--smoke") { Description = "A few seconds with small sizes: checks every phase works (figures mean little)" };
var events = new Option<int?>("--events") { Description = "Events pre-produced for the throughput phase (default 200000 fleet, 400000 seed; stay below ~5 MiB per raw partition)" };
var warmup = new Option<int?>("--warmup") { Description = $"Events produced before those, processed before the clocks start (default {BenchOptions.DefaultWarmupEvents})" };
var cars = new Option<int?>("--cars") { Description = "Simulated cars in the generated data (default 1000 fleet, 10000 seed)" };
var rates = new Option<int[]?>("--rates") { Description = "Fixed produce rates of the latency phases, events/s (default 10000 20000 50000)", AllowMultipleArgumentsPerToken = true };
var seconds = new Option<double?>("--latency-seconds") { Description = "Length of each latency phase in seconds (default 15)" };
var memoryCars = new Option<int[]?>("--memory-cars") { Description = "Idle car actors per memory measurement (default 100000 1000000)", AllowMultipleArgumentsPerToken = true };
var only = new Option<string?>("--only") { Description = "Run one part only: pipeline (throughput, baseline, latency) or memory" };
var hocon = new Option<string[]?>("--set") { Description = "Extra node HOCON, e.g. --set traffic.outputs.enriched=off (repeatable; for experiments)" };
var workload = new Option<Workload>("--workload") { Description = "Generator of the data: fleet (default; 1000 cars, 200000 events) or seed (the seed's uniform random mix; 10000 cars, 400000 events)", DefaultValueFactory = _ => Workload.Fleet };
var verbose = new Option<bool>("--verbose") { Description = "Also log the node's information messages (stderr)" };
var allocations = new Option<bool>("--allocations") { Description = "Print the types that allocate most during the pipeline's throughput phase (stderr; sampled by the runtime every ~100 KB)" };
var root = new RootCommand("TrafficActors end-to-end benchmark: throughput against a bare-consumer baseline, latency at fixed rates, memory per idle car");
foreach (var o in new Option[] { json, smoke, events, warmup, cars, rates, seconds, memoryCars, only, hocon, workload, verbose, allocations }) root.Options.Add(o);
foreach (var c in ComponentBenchCommands.Create()) root.Subcommands.Add(c);
root.SetAction(async (r, ct) =>
{
    var o = (r.GetValue(smoke) ? BenchOptions.SmokeDefaults : new BenchOptions()).ForWorkload(r.GetValue(workload));
    o = o with
    {
        Json = r.GetValue(json),
        Verbose = r.GetValue(verbose),
        Allocations = r.GetValue(allocations),
        Events = r.GetValue(events) ?? o.Events,
        WarmupEvents = r.GetValue(warmup) ?? o.WarmupEvents,
        Cars = r.GetValue(cars) ?? o.Cars,
        LatencyRates = r.GetValue(rates) is { Length: > 0 } rs ? rs : o.LatencyRates,
        LatencyDuration = r.GetValue(seconds) is { } s ? TimeSpan.FromSeconds(s) : o.LatencyDuration,
        MemoryCars = r.GetValue(memoryCars) is { Length: > 0 } mc ? mc : o.MemoryCars,
        NodeHocon = r.GetValue(hocon) is { Length: > 0 } h ? string.Join('\n', h) : null,
        Pipeline = r.GetValue(only) is null or "pipeline",
        Memory = r.GetValue(only) is null or "memory",
    };
    BenchReport report;
    try
    {
        report = await BenchRunner.RunAsync(o);
    }
    catch (KafkaClientConfigException ex)
    {
        Console.Error.WriteLine($"traffic-bench: {ex.Message}");
        return ExitCodes.Kafka;
    }

    if (o.Json)
    {
        stdout.WriteLine(JsonSerializer.Serialize(report, BenchJson.Default.BenchReport));
    }
    else
    {
        BenchTable.Write(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) }), report);
    }

    return 0;
});
return await root.Parse(args).InvokeAsync();
