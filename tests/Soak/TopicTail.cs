using Confluent.Kafka;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// Reads one topic on a background thread for the whole soak, through broker outages, handing every record to
/// <see cref="OnRecord"/>. Reading live matters: the embedded broker drops a partition's oldest data past a few MiB.
/// </summary>
internal abstract class TopicTail(string bootstrap, string topic, Offset from) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    protected abstract void OnRecord(ConsumeResult<byte[]?, byte[]?> record);

    public void Start()
    {
        var ready = new TaskCompletionSource();
        _loop = Task.Factory.StartNew(() =>
        {
            using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = "soak-tail-" + Guid.NewGuid().ToString("N"),
                EnableAutoCommit = false,
            })
                // Broker outages are the point of the soak; the client's connection chatter is noise here.
                .SetLogHandler((_, _) => { })
                .SetErrorHandler((_, _) => { })
                .Build();
            consumer.Assign(Partitions().Select(p => new TopicPartitionOffset(topic, p, from)));
            ready.SetResult();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } r) OnRecord(r);
                }
                catch (ConsumeException)
                {
                    // Brokers down: keep polling, librdkafka reconnects.
                }
            }
        }, TaskCreationOptions.LongRunning);
        ready.Task.Wait(TimeSpan.FromSeconds(30));
    }

    // A short-lived admin client: kept open, it would log every broker outage of the run.
    private int[] Partitions()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => p.PartitionId).ToArray();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop?.Wait(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
