using Confluent.Kafka;

namespace TrafficActors.Tests.Generator;

/// <summary>
/// An in-memory producer that acknowledges each message synchronously, so runner tests need no broker. It can be
/// told to fail some deliveries or to report a full queue, exercising the runner's error paths.
/// </summary>
internal sealed class FakeProducer : IProducer<byte[]?, byte[]?>
{
    private readonly List<(string Topic, Message<byte[]?, byte[]?> Message)> _sent = [];
    private int _attempts;

    /// <summary>Every n-th accepted message gets a failed delivery report (0 = never).</summary>
    public int FailEvery { get; init; }

    /// <summary>Every n-th produce attempt throws Local_QueueFull (0 = never).</summary>
    public int QueueFullEvery { get; init; }

    public int FlushCalls { get; private set; }

    public IReadOnlyList<(string Topic, Message<byte[]?, byte[]?> Message)> Sent => _sent;

    public Handle Handle => throw new NotSupportedException();

    public string Name => "fake";

    public void Produce(string topic, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>>? deliveryHandler = null)
    {
        _attempts++;
        if (QueueFullEvery > 0 && _attempts % QueueFullEvery == 0)
            throw new ProduceException<byte[]?, byte[]?>(new Error(ErrorCode.Local_QueueFull), new DeliveryResult<byte[]?, byte[]?> { Message = message, Topic = topic });
        _sent.Add((topic, message));
        var failed = FailEvery > 0 && _sent.Count % FailEvery == 0;
        deliveryHandler?.Invoke(new DeliveryReport<byte[]?, byte[]?>
        {
            Topic = topic,
            Message = message,
            Error = new Error(failed ? ErrorCode.Local_MsgTimedOut : ErrorCode.NoError),
            Status = failed ? PersistenceStatus.NotPersisted : PersistenceStatus.Persisted,
        });
    }

    public int Flush(TimeSpan timeout)
    {
        FlushCalls++;
        return 0;
    }

    public void Flush(CancellationToken cancellationToken = default) => FlushCalls++;

    public void Produce(TopicPartition topicPartition, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>>? deliveryHandler = null) =>
        Produce(topicPartition.Topic, message, deliveryHandler);

    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(string topic, Message<byte[]?, byte[]?> message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the runner must use the non-async Produce");

    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(TopicPartition topicPartition, Message<byte[]?, byte[]?> message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the runner must use the non-async Produce");

    public int Poll(TimeSpan timeout) => 0;

    public int AddBrokers(string brokers) => 0;

    public void SetSaslCredentials(string username, string password)
    {
    }

    public void InitTransactions(TimeSpan timeout) => throw new NotSupportedException();

    public void BeginTransaction() => throw new NotSupportedException();

    public void CommitTransaction(TimeSpan timeout) => throw new NotSupportedException();

    public void CommitTransaction() => throw new NotSupportedException();

    public void AbortTransaction(TimeSpan timeout) => throw new NotSupportedException();

    public void AbortTransaction() => throw new NotSupportedException();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        throw new NotSupportedException();

    public void Dispose()
    {
    }
}
