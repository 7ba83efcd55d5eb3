using Confluent.Kafka;
using TrafficActors.Kafka;
using TrafficActors.Kafka.Testkit;
using TrafficActors.Settings;

namespace TrafficActors.Bench;

/// <summary>
/// While a latency phase runs, drops what the node's group has committed from the raw topic, as retention would in
/// time. The embedded broker finds a fetch position by walking the partition's log from its start (a real broker
/// keeps an index), so without this every fetch gets slower as the run goes on, and latency grows with the length
/// of the run rather than with the load.
/// </summary>
public sealed class ConsumedLog : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly EmbeddedKafkaCluster _broker;
    private readonly IConsumer<byte[]?, byte[]?> _reader;
    private readonly List<TopicPartition> _partitions;
    private readonly long[] _trimmed;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private const string ClientId = "bench-trim";

    private ConsumedLog(EmbeddedKafkaCluster broker, KafkaSettings kafka, string topic, string groupId, TimeSpan every)
    {
        _broker = broker;
        using (var admin = KafkaClients.Admin(kafka.ToAdminConfig(ClientId)))
        {
            _partitions = admin.GetMetadata(topic, Timeout).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        }

        _trimmed = new long[_partitions.Count];
        // Reads the node group's committed offsets without joining it.
        _reader = KafkaClients.Consumer(kafka.ToConsumerConfig(ClientId, groupId));
        _loop = Task.Run(() => LoopAsync(every));
    }

    /// <param name="kafka">Client settings, with the bootstrap servers of <paramref name="broker"/>.</param>
    public static ConsumedLog Start(EmbeddedKafkaCluster broker, KafkaSettings kafka, string topic, string groupId, TimeSpan every) =>
        new(broker, kafka, topic, groupId, every);

    private async Task LoopAsync(TimeSpan every)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            List<TopicPartitionOffset> committed;
            try
            {
                committed = _reader.Committed(_partitions, Timeout);
            }
            catch (KafkaException)
            {
                continue; // the next round asks again; trimming later only costs the broker time
            }

            for (var i = 0; i < _partitions.Count; i++)
            {
                var offset = committed.First(c => c.TopicPartition == _partitions[i]).Offset;
                if (offset.IsSpecial || offset.Value <= _trimmed[i]) continue;
                _broker.DeleteRecords(_partitions[i].Topic, _partitions[i].Partition.Value, offset.Value);
                _trimmed[i] = offset.Value;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _reader.Dispose();
        _stop.Dispose();
    }
}
