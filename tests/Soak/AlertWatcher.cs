using System.Collections.Concurrent;
using Confluent.Kafka;
using TrafficActors.Domain;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// Tails <c>alert-data</c> and notes when each alert first appeared: with the produce time of its raw event, that is
/// the end-to-end latency the soak reports (raw-data produce → alert published by its car actor).
/// </summary>
internal sealed class AlertWatcher(string bootstrap, string topic) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ConcurrentDictionary<string, DateTime> FirstSeen { get; } = new(StringComparer.Ordinal);

    public void Start()
    {
        var ready = new TaskCompletionSource();
        _loop = Task.Factory.StartNew(() =>
        {
            using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = "soak-alert-watcher-" + Guid.NewGuid().ToString("N"),
                EnableAutoCommit = false,
                AutoOffsetReset = AutoOffsetReset.Latest,
            })
            // Broker outages are the point of the soak; the clients' own connection chatter is noise here.
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
            var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => p.PartitionId);
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.End)));
            ready.SetResult();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (r?.Message?.Value is { } value) FirstSeen.TryAdd(WireFormat.ReadAlert(value).EventId, DateTime.UtcNow);
                }
                catch (ConsumeException)
                {
                    // Brokers down: keep polling, librdkafka reconnects.
                }
            }
        }, TaskCreationOptions.LongRunning);
        ready.Task.Wait(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop?.Wait(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
