using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TrafficActors.Cars;
using TrafficActors.Settings;
using TrafficActors.Domain;
using TrafficActors.Ingest;
using TrafficActors.Kafka;
using TrafficActors.Tracing;

namespace TrafficActors.Outputs;

/// <summary>
/// The node's writes to Kafka over one shared producer: enriched samples, alerts and dead letters, all keyed by
/// car so a car's records stay in one partition. Every task completes on the broker's acknowledgement.
/// </summary>
public sealed class KafkaOutputs(IProducer<byte[]?, byte[]?> producer, KafkaSettings settings, int maxDeadLetterPayload) : ICarOutputs
{
    private const string WindowCheckClientId = "traffic-window-check";

    // The last enriched sample this thread wrote and its JSON: a car writes an alert right after its sample.
    [ThreadStatic] private static EnrichedSample? _lastSample;
    [ThreadStatic] private static byte[]? _lastSampleJson;

    public void PublishEnriched(EnrichedSample sample, byte[] key, IOutputAck ack, in ActivityContext trace = default)
    {
        var json = WireFormat.ToJson(sample);
        (_lastSample, _lastSampleJson) = (sample, json);
        Produce(settings.EnrichedTopic, key, json, ack, alert: false, trace);
    }

    public void PublishAlert(Alert alert, EnrichedSample sample, byte[] key, IOutputAck ack, in ActivityContext trace = default)
    {
        var json = ReferenceEquals(sample, _lastSample) ? WireFormat.AlertJson(_lastSampleJson!, alert.Violations, alert.RulesVersion) : WireFormat.ToJson(alert);
        (_lastSample, _lastSampleJson) = (null, null);
        Produce(settings.AlertsTopic, key, json, ack, alert: true, trace);
    }

    /// <summary>
    /// Through <c>Produce</c> with a delivery handler: <c>ProduceAsync</c> costs a task, its completion source and a
    /// handler object per record, on every event. The handlers live on the acknowledgement, built once per batch.
    /// </summary>
    private void Produce(string topic, byte[] key, byte[] value, IOutputAck ack, bool alert, in ActivityContext trace)
    {
        var handlers = ack.OutputState as DeliveryHandlers ?? (DeliveryHandlers)(ack.OutputState = new DeliveryHandlers(ack));
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value };
        var handler = alert ? handlers.Alert : handlers.Enriched;
        Activity? span = null;
        if (trace != default)
        {
            // A traced event's record carries the trace on, so whoever reads these topics can continue it.
            message.Headers = [];
            span = KafkaTracing.StartSend(PipelineTracing.Source, topic, trace, message.Headers, Encoding.ASCII.GetString(key));
            if (span is not null)
            {
                var untraced = handler;
                var traced = span;
                handler = report =>
                {
                    KafkaTracing.Sent(traced, report);
                    untraced(report);
                };
            }
        }

        try
        {
            producer.Produce(topic, message, handler);
        }
        catch (KafkaException ex)
        {
            // Refused before it was queued (queue full, producer closed): the same outcome as a failed delivery.
            if (span is not null)
            {
                span.SetStatus(ActivityStatusCode.Error, ex.Error.Reason);
                KafkaTracing.StopDetached(span);
            }

            ack.Failed(ex);
        }
    }

    /// <summary>
    /// Writes a rejected message with its reason. The original payload is kept byte for byte unless it exceeds
    /// what the producer may send, in which case its head is kept and the original size recorded.
    /// </summary>
    /// <summary>
    /// A closed window's final figures to the windows topic, keyed by the window's start; completes on the broker's
    /// acknowledgement. The producer is idempotent, so its own retries never write the record twice.
    /// </summary>
    /// <summary>
    /// Whether the windows topic already holds a record under <paramref name="key"/>: read from the start of every
    /// partition to its end, without a group. Only a publisher recovering from a crash between producing and noting
    /// it asks, so the cost (a read of a compacted topic of one small record per window) is paid rarely.
    /// </summary>
    /// <exception cref="KafkaException">The broker did not answer in time.</exception>
    public bool HasWindowRecord(string key, TimeSpan timeout)
    {
        var wanted = Encoding.UTF8.GetBytes(key);
        var deadline = DateTime.UtcNow + timeout;
        using var admin = new AdminClientBuilder(settings.ToAdminConfig(WindowCheckClientId)).Build();
        var partitions = admin.GetMetadata(settings.WindowsTopic, timeout).Topics.Single().Partitions
            .Select(p => new TopicPartition(settings.WindowsTopic, p.PartitionId)).ToArray();
        var config = settings.ToConsumerConfig(WindowCheckClientId, WindowCheckClientId);
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        foreach (var tp in partitions)
        {
            var end = consumer.QueryWatermarkOffsets(tp, timeout).High;
            if (end.Value <= 0) continue;
            consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
            while (true)
            {
                if (DateTime.UtcNow > deadline) throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"reading {settings.WindowsTopic} took longer than {timeout}"));
                var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r is null) continue;
                if (r.IsPartitionEOF) break;
                if (r.Message?.Key is { } k && k.AsSpan().SequenceEqual(wanted)) return true;
            }
        }

        return false;
    }

    public Task PublishWindow(string key, byte[] json) =>
        producer.ProduceAsync(settings.WindowsTopic, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = json });

    public Task PublishDeadLetter(ConsumeResult<byte[]?, byte[]?> source, string reason)
    {
        var value = source.Message.Value;
        var headers = new Headers();
        if (source.Message.Headers is { } original)
            foreach (var h in original) headers.Add(h.Key, h.GetValueBytes());
        headers.Add(DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason));
        headers.Add(DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(source.Topic));
        headers.Add(DeadLetterHeaders.SourcePartition, Ascii(source.Partition.Value));
        headers.Add(DeadLetterHeaders.SourceOffset, Ascii(source.Offset.Value));
        if (value is { Length: var n } && n > maxDeadLetterPayload)
        {
            headers.Add(DeadLetterHeaders.OriginalSize, Ascii(n));
            value = value[..maxDeadLetterPayload];
        }

        return producer.ProduceAsync(settings.DlqTopic, new Message<byte[]?, byte[]?> { Key = source.Message.Key, Value = value, Headers = headers });
    }

    private static byte[] Ascii(long v) => Encoding.ASCII.GetBytes(v.ToString(CultureInfo.InvariantCulture));

    /// <summary>The delivery callbacks of one acknowledgement, for its enriched samples and its alerts.</summary>
    private sealed class DeliveryHandlers(IOutputAck ack)
    {
        public Action<DeliveryReport<byte[]?, byte[]?>> Enriched { get; } = report => Report(ack, report, alert: false);

        public Action<DeliveryReport<byte[]?, byte[]?>> Alert { get; } = report => Report(ack, report, alert: true);

        private static void Report(IOutputAck ack, DeliveryReport<byte[]?, byte[]?> report, bool alert)
        {
            if (report.Error.IsError) ack.Failed(new ProduceException<byte[]?, byte[]?>(report.Error, report));
            else ack.Delivered(alert);
        }
    }
}
