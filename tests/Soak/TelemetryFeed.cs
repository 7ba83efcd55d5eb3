using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Generator;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// The fleet generator at a fixed rate and seed, in process so the soak knows every event Kafka acknowledged (the
/// oracle) and when it was produced (latency). Events whose delivery failed (all brokers down for longer than the
/// producer's patience) are not in Kafka and not expected.
/// </summary>
internal sealed class TelemetryFeed(string bootstrap, GeneratorSettings settings) : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
    {
        BootstrapServers = bootstrap,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        // Outlive the longest broker outage of the schedule instead of dropping events.
        MessageTimeoutMs = 120_000,
    })
            // Broker outages are the point of the soak; the clients' own connection chatter is noise here.
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();

    public ConcurrentDictionary<string, (RawEvent Event, DateTime ProducedAt)> Delivered { get; } = new(StringComparer.Ordinal);

    public long Failed => Interlocked.Read(ref _failed);

    private long _failed;

    /// <summary>Feeds at the configured rate until <paramref name="ct"/> is cancelled, then flushes.</summary>
    public Task RunAsync(CancellationToken ct) => Task.Run(async () =>
    {
        var source = new FleetSimulator(settings);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (!ct.IsCancellationRequested)
        {
            // Paced by elapsed time, so a slow broker does not lower the offered rate for long.
            var due = (long)(clock.Elapsed.TotalSeconds * settings.Rate);
            for (; sent < due; sent++)
            {
                var e = source.Next(DateTimeOffset.UtcNow);
                var producedAt = DateTime.UtcNow;
                _producer.Produce(settings.Topic, new Message<byte[]?, byte[]?> { Key = WireFormat.CarKey(e.CarId), Value = WireFormat.ToJson(e) }, report =>
                {
                    if (report.Error.IsError) Interlocked.Increment(ref _failed);
                    else Delivered[e.EventId] = (e, producedAt);
                });
            }

            await Task.Delay(10, CancellationToken.None);
        }

        _producer.Flush(TimeSpan.FromMinutes(3));
    }, CancellationToken.None);

    public void Dispose() => _producer.Dispose();
}
