using Akka.Streams.Stage;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

internal sealed class ProducerFlowLogic<TPass> : InAndOutGraphStageLogic
{
    private readonly ProducerFlowStage<TPass> _stage;
    private readonly Queue<Task<ProducerResult<TPass>>> _inFlight = new();
    private readonly Action<Task<ProducerResult<TPass>>> _onDone;
    private IProducer<byte[]?, byte[]?>? _producer;
    private bool _ownsProducer;

    public ProducerFlowLogic(ProducerFlowStage<TPass> stage)
        : base(stage.Shape)
    {
        _stage = stage;
        _onDone = GetAsyncCallback<Task<ProducerResult<TPass>>>(_ => Drain());
        SetHandler(stage.In, this);
        SetHandler(stage.Out, this);
    }

    public override void PreStart()
    {
        _producer = _stage.SharedProducer;
        if (_producer is null)
        {
            _producer = KafkaProducer.CreateProducer(_stage.Settings);
            _ownsProducer = true;
        }

        Pull(_stage.In);
    }

    public override void OnPush()
    {
        var envelope = Grab(_stage.In);
        Task<ProducerResult<TPass>> sending;
        try
        {
            sending = Send(_producer!, envelope);
        }
        catch (Exception ex)
        {
            sending = Task.FromException<ProducerResult<TPass>>(ex);
        }

        _inFlight.Enqueue(sending);
        if (sending.IsCompleted)
        {
            Drain();
        }
        else
        {
            sending.ContinueWith(_onDone, TaskContinuationOptions.ExecuteSynchronously);
        }

        PullIfRoom();
    }

    public override void OnUpstreamFinish()
    {
        if (_inFlight.Count == 0)
        {
            CompleteStage();
        }
    }

    public override void OnPull() => Drain();

    public override void PostStop()
    {
        if (_ownsProducer && _producer is { } producer)
        {
            // Every result was awaited before a clean completion; after a failure nothing is worth waiting for.
            // Dispose joins librdkafka threads, so keep it off the stream's thread.
            Task.Run(producer.Dispose);
        }
    }

    private void Drain()
    {
        while (_inFlight.TryPeek(out var head) && head.IsCompleted)
        {
            if (!head.IsCompletedSuccessfully)
            {
                FailStage(head.Exception?.GetBaseException() ?? new TaskCanceledException("produce cancelled"));
                return;
            }

            if (!IsAvailable(_stage.Out))
            {
                return;
            }

            _inFlight.Dequeue();
            Push(_stage.Out, head.Result);
        }

        if (_inFlight.Count == 0 && IsClosed(_stage.In))
        {
            CompleteStage();
            return;
        }

        PullIfRoom();
    }

    private void PullIfRoom()
    {
        if (_inFlight.Count < _stage.Settings.Parallelism && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In))
        {
            Pull(_stage.In);
        }
    }

    private static async Task<ProducerResult<TPass>> Send(IProducer<byte[]?, byte[]?> producer, ProducerEnvelope<TPass> envelope)
    {
        var records = envelope.Records;
        if (records.Count == 0)
        {
            return new ProducerResult<TPass>(Array.Empty<DeliveryResult<byte[]?, byte[]?>>(), envelope.PassThrough);
        }

        var pending = new Task<DeliveryResult<byte[]?, byte[]?>>[records.Count];
        for (var i = 0; i < pending.Length; i++)
        {
            var record = records[i];
            pending[i] = record.Partition is { } partition
                ? producer.ProduceAsync(new TopicPartition(record.Topic, new Partition(partition)), record.Message)
                : producer.ProduceAsync(record.Topic, record.Message);
        }

        var delivered = await Task.WhenAll(pending).ConfigureAwait(false);
        return new ProducerResult<TPass>(delivered, envelope.PassThrough);
    }
}
