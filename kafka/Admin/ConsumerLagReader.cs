using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Reads a consumer group's committed offsets and the log watermarks of a topic without joining the group
/// (a consumer that never subscribes does not trigger a rebalance). Uses only metadata, OffsetFetch and ListOffsets,
/// which the embedded broker supports; group admin calls can crash it.
/// </summary>
public sealed class ConsumerLagReader : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly IAdminClient _admin;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="consumer">Configuration of the consumer that reads the group's committed offsets and the
    /// watermarks; it names the group and never subscribes, so auto-commit is turned off here whatever it says.</param>
    /// <param name="admin">Configuration of the admin client that reads the topic's metadata.</param>
    public ConsumerLagReader(ConsumerConfig consumer, AdminClientConfig admin)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer.GroupId);
        GroupId = consumer.GroupId;
        var readOnly = new ConsumerConfig(consumer.ToDictionary(p => p.Key, p => p.Value)) { EnableAutoCommit = false };
        _consumer = KafkaClients.Consumer(readOnly);
        try
        {
            _admin = KafkaClients.Admin(admin);
        }
        catch
        {
            _consumer.Dispose();
            throw;
        }
    }

    public string GroupId { get; }

    /// <summary>Lag of every partition of <paramref name="topic"/>, ordered by partition.</summary>
    public async Task<IReadOnlyList<PartitionLag>> ReadAsync(string topic, TimeSpan timeout, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // librdkafka calls block; keep them off the caller's (possibly request) thread.
            return await Task.Run(() => Read(topic, timeout), ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The brokers of the cluster as one of them reports them in a metadata answer about <paramref name="topic"/>
    /// (one topic, so the answer stays small on a cluster with many). Throws <see cref="KafkaException"/> when no
    /// broker answers within <paramref name="timeout"/>.
    /// </summary>
    public Task<Metadata> BrokersAsync(string topic, TimeSpan timeout, CancellationToken ct = default) =>
        // Not behind the gate: the admin client is thread-safe, and a lag read that waits on a slow cluster must
        // not delay this answer. Off the caller's thread because the call blocks.
        Task.Run(() => _admin.GetMetadata(topic, timeout), ct);

    private List<PartitionLag> Read(string topic, TimeSpan timeout)
    {
        var metadata = _admin.GetMetadata(topic, timeout);
        var partitions = metadata.Topics.SingleOrDefault(t => t.Topic == topic) is { Error.IsError: false } t
            ? t.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).OrderBy(p => p.Partition.Value).ToList()
            : throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"topic {topic} not found"));
        var committed = _consumer.Committed(partitions, timeout).ToDictionary(c => c.Partition.Value, c => c.Offset);
        var result = new List<PartitionLag>(partitions.Count);
        foreach (var tp in partitions)
        {
            var marks = _consumer.QueryWatermarkOffsets(tp, timeout);
            long? done = committed.TryGetValue(tp.Partition.Value, out var o) && o.Value >= 0 ? o.Value : null;
            var from = Math.Max(done ?? marks.Low.Value, marks.Low.Value);
            result.Add(new PartitionLag(topic, tp.Partition.Value, done, marks.Low.Value, marks.High.Value, Math.Max(0, marks.High.Value - from)));
        }

        return result;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
        _admin.Dispose();
        _gate.Dispose();
    }
}
