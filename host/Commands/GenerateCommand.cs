using System.CommandLine;
using System.Globalization;
using Confluent.Kafka;
using Spectre.Console;
using TrafficActors.Settings;
using TrafficActors.Generator;
using TrafficActors.Host.Telemetry;
using TrafficActors.Kafka;

namespace TrafficActors.Host.Commands;

/// <summary><c>traffic generate</c>: produce telemetry to <c>raw-data</c>, realistic fleet or seed-style random.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string?>("--kafka-bootstrap") { Description = "Kafka to produce to (host:port,...); the all-in-one prints its embedded broker's address. Default: TRAFFIC_KAFKA_BOOTSTRAP" };
        var mode = new Option<string?>("--mode") { Description = "fleet (simulated cars, violations at configured rates) or seed (uniform random values, like the seed)" };
        var cars = new Option<int?>("--cars") { Description = "Fleet size, 1..1000000; car ids match a node started with the same traffic.reference.cars" };
        var rate = new Option<double?>("--rate") { Description = "Events per second; 0 = as fast as possible" };
        var count = new Option<long?>("--count") { Description = "Stop after this many events (0 = no limit)" };
        var duration = new Option<string?>("--duration") { Description = "Stop after this long, e.g. 30s, 5m (default: no limit)" };
        var seed = new Option<int?>("--seed") { Description = "Random seed; the same seed replays the same traffic" };
        var topic = new Option<string?>("--topic") { Description = "Topic to produce to (default raw-data)" };
        var cmd = new Command("generate", "Produce car telemetry to Kafka at a steady rate, with a progress display");
        foreach (var o in new Option[] { bootstrap, mode, cars, rate, count, duration, seed, topic }) cmd.Options.Add(o);
        cmd.SetAction(async (r, ct) =>
        {
            var config = TrafficConfig.Load();
            var traffic = TrafficSettings.FromConfig(config);
            GeneratorSettings settings;
            TracingSettings tracing;
            OtlpSettings otlp;
            try
            {
                tracing = TracingSettings.FromConfig(config);
                otlp = OtlpSettings.FromConfig(config);
                settings = GeneratorSettings.FromConfig(config.GetConfig("traffic.generator"));
                settings = settings with
                {
                    Mode = r.GetValue(mode) is { } m ? ParseMode(m) : settings.Mode,
                    Cars = r.GetValue(cars) ?? settings.Cars,
                    Rate = r.GetValue(rate) ?? settings.Rate,
                    Count = r.GetValue(count) ?? settings.Count,
                    Duration = r.GetValue(duration) is { } d ? ParseDuration(d) : settings.Duration,
                    Seed = r.GetValue(seed) ?? settings.Seed,
                    Topic = r.GetValue(topic) ?? traffic.Kafka.RawTopic,
                };
                settings = settings.Validate();
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or Akka.Configuration.ConfigurationException)
            {
                await Console.Error.WriteLineAsync($"traffic generate: {ex.Message}");
                return ExitCodes.Usage;
            }

            var servers = r.GetValue(bootstrap) ?? traffic.Kafka.BootstrapServers;
            if (string.IsNullOrWhiteSpace(servers))
            {
                await Console.Error.WriteLineAsync("traffic generate: no Kafka to produce to; pass --kafka-bootstrap <host:port> (the all-in-one logs `Kafka bootstrap: ...`)");
                return ExitCodes.Usage;
            }

            IProducer<byte[]?, byte[]?> producer;
            var kafka = traffic.Kafka.WithBootstrap(servers);
            try
            {
                producer = KafkaProducer.CreateProducer(kafka.ToProducerSettings());
            }
            catch (KafkaClientConfigException ex)
            {
                await Console.Error.WriteLineAsync($"traffic generate: {ex.Message}");
                return ExitCodes.Kafka;
            }

            // Disposed after the producer's flush, so the spans of the last sends are complete when it exports them.
            using var tracer = TrafficTracing.CreateGeneratorTracer(tracing, otlp);
            using (producer)
            {
                return await RunAsync(settings, tracing.SamplingRatio, kafka, producer, ct);
            }
        });
        return cmd;
    }

    private static async Task<int> RunAsync(GeneratorSettings settings, double traceRatio, KafkaSettings kafka, IProducer<byte[]?, byte[]?> producer, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        var limit = settings.Count > 0 ? $"{settings.Count:N0} events" : settings.Duration is { } d ? $"{d.TotalSeconds:N0} s" : "until Ctrl+C";
        var rateText = settings.Rate > 0 ? $"{settings.Rate:N0} events/s" : "max rate";
        var on = kafka.BootstrapServers + (kafka.Common.Count > 0 ? $" ({kafka.Common})" : "");
        AnsiConsole.MarkupLine($"Generating [bold]{settings.Mode}[/] traffic for [bold]{settings.Cars:N0}[/] cars to [bold]{Markup.Escape(settings.Topic)}[/] on {Markup.Escape(on)}: {rateText}, {limit}, seed {settings.Seed}");

        GeneratorResult result;
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            result = await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("producing", maxValue: settings.Count > 0 ? settings.Count : settings.Duration?.TotalSeconds ?? 1);
                    task.IsIndeterminate = settings.Count <= 0 && settings.Duration is null;
                    var runner = new GeneratorRunner(settings, settings.CreateSource(), TimeProvider.System, p =>
                    {
                        task.Value = settings.Count > 0 ? p.Produced : p.Elapsed.TotalSeconds;
                        task.Description = $"{p.Produced:N0} produced, {p.Delivered:N0} delivered, {p.Failed:N0} failed, {p.Rate:N0}/s";
                    }) { TraceSamplingRatio = traceRatio };
                    var r = await runner.RunAsync(producer, cts.Token);
                    task.Value = task.MaxValue;
                    return r;
                });
        }
        else
        {
            // Not a terminal (CI, pipes): one plain line per second instead of redrawing a bar.
            var last = DateTime.MinValue;
            var runner = new GeneratorRunner(settings, settings.CreateSource(), TimeProvider.System, p =>
            {
                if (DateTime.UtcNow - last < TimeSpan.FromSeconds(1)) return;
                last = DateTime.UtcNow;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Elapsed.TotalSeconds,6:F1}s  produced {p.Produced,10:N0}  delivered {p.Delivered,10:N0}  failed {p.Failed:N0}  {p.Rate:N0}/s"));
            }) { TraceSamplingRatio = traceRatio };
            result = await runner.RunAsync(producer, cts.Token);
        }

        var table = new Table().AddColumns("produced", "delivered", "failed", "elapsed", "events/s", "stopped by");
        table.AddRow(
            result.Produced.ToString("N0", CultureInfo.InvariantCulture), result.Delivered.ToString("N0", CultureInfo.InvariantCulture),
            result.Failed.ToString("N0", CultureInfo.InvariantCulture), $"{result.Elapsed.TotalSeconds:F1} s",
            result.Rate.ToString("N0", CultureInfo.InvariantCulture), result.StopReason.ToString());
        AnsiConsole.Write(table);
        return result.Failed > 0 || result.Pending > 0 ? ExitCodes.Error : ExitCodes.Ok;
    }

    private static GeneratorMode ParseMode(string mode) => mode.Trim().ToLowerInvariant() switch
    {
        "fleet" => GeneratorMode.Fleet,
        "seed" => GeneratorMode.Seed,
        _ => throw new ArgumentException($"unknown --mode '{mode}' (fleet or seed)"),
    };

    private static TimeSpan ParseDuration(string text)
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("d = " + text);
        return config.GetTimeSpan("d");
    }
}
