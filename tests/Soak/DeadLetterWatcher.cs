using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using TrafficActors.Ingest;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// Reads <c>raw-data-dlq</c> while the soak runs (the embedded broker drops a partition's oldest data past a few
/// MiB, and the oversized poison fills it quickly): key → reason, stored payload size, original size header.
/// </summary>
internal sealed class DeadLetterWatcher(string bootstrap, string topic) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ConcurrentDictionary<string, (string Reason, int StoredBytes, long? OriginalBytes)> Entries { get; } = new(StringComparer.Ordinal);

    public int Duplicates => _duplicates;

    private int _duplicates;

    public void Start()
    {
        var ready = new TaskCompletionSource();
        _loop = Task.Factory.StartNew(() =>
        {
            using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = "soak-dlq-watcher-" + Guid.NewGuid().ToString("N"),
                EnableAutoCommit = false,
            })
            // Broker outages are the point of the soak; the clients' own connection chatter is noise here.
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
            var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => p.PartitionId);
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            ready.SetResult();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (r?.Message is not { } m) continue;
                    var key = m.Key is null ? "(no key)" : Encoding.UTF8.GetString(m.Key);
                    var reason = Header(m, DeadLetterHeaders.Reason) ?? "";
                    long? original = Header(m, DeadLetterHeaders.OriginalSize) is { } s ? long.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
                    // A redelivered poison message is dead-lettered again (at-least-once); count, do not hide it.
                    if (!Entries.TryAdd(key, (reason, m.Value?.Length ?? 0, original))) Interlocked.Increment(ref _duplicates);
                }
                catch (ConsumeException)
                {
                    // Brokers down: keep polling.
                }
            }
        }, TaskCreationOptions.LongRunning);
        ready.Task.Wait(TimeSpan.FromSeconds(30));
    }

    private static string? Header(Message<byte[]?, byte[]?> m, string name) =>
        m.Headers?.TryGetLastBytes(name, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;

    public void Dispose()
    {
        _stop.Cancel();
        _loop?.Wait(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
