using System.Globalization;
using Spectre.Console;

namespace TrafficActors.Bench;

/// <summary>The readable form of a report.</summary>
public static class BenchTable
{
    public static void Write(IAnsiConsole console, BenchReport r)
    {
        var m = r.Machine;
        console.MarkupLine(Markup.Escape($"Machine: {m.Cores} cores ({m.Cpu}), {m.Os}, {m.Runtime}, {m.Gc} GC") + (r.Smoke ? " [yellow](smoke run: sizes too small to mean much)[/]" : ""));
        var t = new Table().AddColumns("measure", "result", "goal");
        var seed = r.Workload == Workload.Seed;
        t.AddRow("throughput, pipeline (raw-data to counted alerts)", $"{N(r.ThroughputEps)} events/s", seed ? ">= 60,000 (goal 100,000)" : "");
        t.AddRow("throughput, bare consumer + parse + rules", $"{N(r.BaselineEps)} events/s", "");
        t.AddRow("CPU per event, pipeline (whole process)", $"{r.CpuUsPerEvent.ToString("F2", CultureInfo.InvariantCulture)} µs", "");
        t.AddRow("CPU per event, bare consumer + parse + rules (whole process)", $"{r.BaselineCpuUsPerEvent.ToString("F2", CultureInfo.InvariantCulture)} µs", "");
        t.AddRow("ratio pipeline / baseline", r.Ratio.ToString("F2", CultureInfo.InvariantCulture), seed ? "" : ">= 0.50 (goal 0.70)");
        foreach (var l in r.Latency)
        {
            t.AddRow(
                $"latency at {N(l.RateEps)} events/s (achieved {N(l.AchievedEps)}), p50 / p95 / p99",
                $"{l.P50Ms:F1} / {l.P95Ms:F1} / {l.P99Ms:F1} ms", l.RateEps == 20_000 && !seed ? "p99 <= 50 ms" : "");
        }

        foreach (var mem in r.Memory)
            t.AddRow($"managed memory per idle car actor, {N(mem.Cars)} cars", $"{N(mem.BytesPerCar)} bytes", mem.Cars == 1_000_000 ? "<= 1024 bytes" : "");
        console.Write(t);
        console.MarkupLine(Markup.Escape($"Data: {N(r.Events)} generated {r.Workload.ToString().ToLowerInvariant()} events from {N(r.Cars)} cars after {N(r.WarmupEvents)} warm-up events; {N(r.Pipeline.Alerts)} alerting events durably counted."));
        console.MarkupLine(Markup.Escape($"With the warm-up, from a cold start: pipeline {N(r.Pipeline.ColdEventsPerSecond)} events/s, baseline {N(r.Baseline.ColdEventsPerSecond)} events/s."));
    }

    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
