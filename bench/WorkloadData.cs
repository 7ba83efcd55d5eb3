using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Generator;
using TrafficActors.Kafka;
using TrafficActors.Settings;

namespace TrafficActors.Bench;

/// <summary>
/// Writes the workload's generated events to the raw topic before anything reads them, so the pipeline and the
/// baseline see exactly the same data. Event time runs on a virtual clock (each car reports every sample interval)
/// centred on now, so every window stays open for the whole run.
/// </summary>
public static class WorkloadData
{
    public static async Task<long> ProduceAsync(KafkaSettings kafka, string topic, BenchOptions options)
    {
        var settings = new GeneratorSettings
        {
            Cars = options.Cars,
            Seed = options.Seed,
            Rate = 0,
            SampleInterval = options.SampleInterval,
            Topic = topic,
        };
        var source = Source(options.Workload, settings);
        var step = TimeSpan.FromTicks(options.SampleInterval.Ticks / options.Cars);
        var total = options.WarmupEvents + options.Events;
        var span = step * total;
        var clock = DateTimeOffset.UtcNow - (span / 2);
        using var producer = KafkaProducer.CreateProducer(kafka.ToProducerSettings());
        long failed = 0;
        void OnDelivered(DeliveryReport<byte[]?, byte[]?> r)
        {
            if (r.Error.IsError) Interlocked.Increment(ref failed);
        }

        for (var i = 0; i < total; i++)
        {
            var e = source.Next(clock);
            clock += step;
            var message = new Message<byte[]?, byte[]?> { Key = WireFormat.CarKey(e.CarId), Value = WireFormat.ToJson(e), Timestamp = new Timestamp(e.EventTime) };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, OnDelivered);
                    break;
                }
                catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    await Task.Delay(5);
                }
            }
        }

        producer.Flush(TimeSpan.FromSeconds(60));
        if (Interlocked.Read(ref failed) > 0) throw new InvalidOperationException($"{failed} benchmark events were not delivered");
        return total;
    }

    /// <summary>The generator of a workload; the latency phases use the same one at a fixed rate.</summary>
    public static IEventSource Source(Workload workload, GeneratorSettings settings) => workload switch
    {
        Workload.Seed => new SeedModeSource(settings),
        _ => new FleetSimulator(settings),
    };
}
