using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrafficActors.Generator;
using TrafficActors.Settings;

namespace TrafficActors.Host.Node;

/// <summary>The all-in-one's built-in generator: produces fleet traffic at a modest rate while the node runs.</summary>
public sealed class GeneratorService(GeneratorSettings settings, TracingSettings tracing, IProducer<byte[]?, byte[]?> producer, ILogger<GeneratorService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.LogInformation("Generator: {Mode} traffic, {Cars} cars, {Rate} events/s to {Topic}", settings.Mode, settings.Cars, settings.Rate, settings.Topic);
        try
        {
            var runner = new GeneratorRunner(settings, settings.CreateSource(), TimeProvider.System) { TraceSamplingRatio = tracing.SamplingRatio };
            var result = await runner.RunAsync(producer, stoppingToken);
            log.LogInformation("Generator stopped ({Reason}): {Produced} produced, {Failed} failed", result.StopReason, result.Produced, result.Failed);
        }
        catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
        {
            log.LogError("Generator failed: {Message}", ex.Message);
        }
    }
}
