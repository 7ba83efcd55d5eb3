using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TrafficActors.DeadLetters;
using TrafficActors.Domain;
using TrafficActors.Ingest;
using TrafficActors.Kafka;
using TrafficActors.Settings;

namespace TrafficActors.Host.DeadLetters;

/// <summary>
/// Sends corrected records back to <c>raw-data</c> for <c>traffic dlq redrive</c>: keyed by car as the generator
/// keys them (so each lands in its car's partition under the same partitioner), through an idempotent producer
/// (librdkafka's retries neither duplicate nor reorder), each marked with the <c>redriven-from</c> header.
/// </summary>
public static class DeadLetterRedriver
{
    // How long a send waits for room in a full producer queue before trying again.
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Checks that Kafka answers and holds the raw topic; throws <see cref="KafkaException"/> otherwise, before
    /// anything is sent.
    /// </summary>
    public static void CheckTopic(KafkaSettings kafka, DlqSettings dlq, KafkaClientLog log)
    {
        using var admin = log.Admin(kafka.ToAdminConfig(dlq.RedriveClientId));
        var metadata = admin.GetMetadata(kafka.RawTopic, dlq.KafkaTimeout);
        if (metadata.Topics.SingleOrDefault(t => t.Topic == kafka.RawTopic) is not { Error.IsError: false })
            throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"topic {kafka.RawTopic} not found"));
    }

    /// <summary>The producer's settings: the system's producer settings, idempotent, with the redrive's client id and delivery timeout.</summary>
    public static ProducerSettings ProducerSettings(KafkaSettings kafka, DlqSettings dlq) =>
        kafka.ToProducerSettings()
            .WithClientId(dlq.RedriveClientId)
            .WithAcks(Acks.All)
            .WithEnableIdempotence(true)
            .WithProperty("message.timeout.ms", ((long)dlq.DeliveryTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>A producer with <see cref="ProducerSettings"/> whose librdkafka log goes to <paramref name="log"/>.</summary>
    public static IProducer<byte[]?, byte[]?> CreateProducer(KafkaSettings kafka, DlqSettings dlq, KafkaClientLog log) =>
        log.Producer(ProducerSettings(kafka, dlq).ToProducerConfig());

    /// <summary>Sends every record and waits for every delivery report (at most the delivery timeout, and a little for the reports to arrive).</summary>
    public static RedriveOutcome Send(IProducer<byte[]?, byte[]?> producer, KafkaSettings kafka, DlqSettings dlq, IReadOnlyList<RedriveRecord> records, CancellationToken ct)
    {
        var delivered = 0;
        string? firstError = null;
        var marker = Encoding.UTF8.GetBytes(kafka.DlqTopic);
        void OnReport(DeliveryReport<byte[]?, byte[]?> report)
        {
            if (!report.Error.IsError)
            {
                Interlocked.Increment(ref delivered);
                return;
            }

            Interlocked.CompareExchange(ref firstError, report.Error.Reason, null);
        }

        var sent = 0;
        foreach (var record in records)
        {
            var message = new Message<byte[]?, byte[]?>
            {
                Key = WireFormat.CarKey(record.CarId),
                Value = record.Value,
                Headers = new Headers { { DeadLetterHeaders.RedrivenFrom, marker } },
            };
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    producer.Produce(kafka.RawTopic, message, OnReport);
                    sent++;
                    break;
                }
                catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(QueueFullWait);
                }
            }
        }

        // message.timeout.ms ends every record's wait within the delivery timeout; the margin lets its report arrive.
        var unacknowledged = producer.Flush(dlq.DeliveryTimeout + dlq.KafkaTimeout);
        // Whatever was not acknowledged is lost, counted once: a failure report can still arrive for a record Flush
        // has just counted as waiting, so adding the two would count it twice.
        var done = Volatile.Read(ref delivered);
        var lost = sent - done;
        return new RedriveOutcome(sent, done, lost, Volatile.Read(ref firstError) ?? (unacknowledged > 0 ? "no acknowledgement in time" : null));
    }
}
