using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TrafficActors.DeadLetters;
using TrafficActors.Ingest;
using TrafficActors.Kafka;
using TrafficActors.Settings;

namespace TrafficActors.Host.DeadLetters;

/// <summary>
/// Reads the newest records of the dead-letter topic for <c>traffic dlq show</c>. It assigns the partitions itself and
/// never subscribes or commits, so it joins no consumer group and moves no one's offsets.
/// </summary>
public static class DeadLetterReader
{
    /// <summary>Client id (and the group id librdkafka requires, never joined) in broker logs.</summary>
    public const string ClientId = "traffic-dlq-reader";

    // One Consume call waits at most this long, so the deadline and cancellation are checked often.
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Reads what <paramref name="query"/> asks for, keeping at most <paramref name="keepBytes"/> of each payload.
    /// Throws <see cref="KafkaException"/> when Kafka does not answer or the topic is missing,
    /// <see cref="TimeoutException"/> when the records are not read within <c>traffic.dlq.show.read-timeout</c>.
    /// </summary>
    public static DeadLetterListing Read(KafkaSettings kafka, DlqSettings dlq, DeadLetterQuery query, int keepBytes, KafkaClientLog log, CancellationToken ct)
    {
        var topic = kafka.DlqTopic;
        List<TopicPartition> partitions;
        using (var admin = log.Admin(kafka.ToAdminConfig(ClientId)))
            partitions = Partitions(admin.GetMetadata(topic, dlq.KafkaTimeout), topic);

        var config = kafka.ToConsumerConfig(ClientId, ClientId);
        config.EnablePartitionEof = true;
        using var consumer = log.Consumer(config);
        var onTopic = 0L;
        var starts = new List<TopicPartitionOffset>();
        var ends = new Dictionary<int, long>();
        foreach (var tp in partitions)
        {
            var marks = consumer.QueryWatermarkOffsets(tp, dlq.KafkaTimeout);
            onTopic += Math.Max(0, marks.High.Value - marks.Low.Value);
            var start = query.StartOffset(marks.Low.Value, marks.High.Value, dlq.ReasonScanDepth);
            if (start >= marks.High.Value) continue;
            starts.Add(new TopicPartitionOffset(tp, start));
            ends[tp.Partition.Value] = marks.High.Value;
        }

        var newest = new NewestDeadLetters(query.Last);
        var read = 0L;
        if (starts.Count > 0)
        {
            consumer.Assign(starts);
            var deadline = DateTime.UtcNow + dlq.ReadTimeout;
            // Up to the end each partition had when asked: records dead-lettered meanwhile wait for the next look.
            while (ends.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException($"read {read.ToString(CultureInfo.InvariantCulture)} records of {topic} in {dlq.ReadTimeout.TotalSeconds:0.#} s (traffic.dlq.show.read-timeout) and partitions {string.Join(",", ends.Keys.Order())} were not read to their end");
                var r = consumer.Consume(left < PollSlice ? left : PollSlice);
                if (r is null) continue;
                var partition = r.Partition.Value;
                if (!ends.TryGetValue(partition, out var end)) continue;
                if (r.IsPartitionEOF)
                {
                    ends.Remove(partition);
                    continue;
                }

                if (r.Offset.Value >= end - 1) ends.Remove(partition);
                if (r.Offset.Value >= end) continue;
                read++;
                var reason = Header(r.Message.Headers, DeadLetterHeaders.Reason);
                if (query.Matches(reason)) newest.Add(ToDeadLetter(r, reason, keepBytes));
            }

            consumer.Unassign();
        }

        return new DeadLetterListing(newest.OldestFirst(), newest.Offered, read, onTopic, partitions.Count);
    }

    private static List<TopicPartition> Partitions(Metadata metadata, string topic) =>
        metadata.Topics.SingleOrDefault(t => t.Topic == topic) is { Error.IsError: false } t
            ? t.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).OrderBy(p => p.Partition.Value).ToList()
            : throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"topic {topic} not found"));

    private static DeadLetter ToDeadLetter(ConsumeResult<byte[]?, byte[]?> r, string? reason, int keepBytes)
    {
        var value = r.Message.Value ?? [];
        var headers = r.Message.Headers;
        return new DeadLetter(
            r.Partition.Value, r.Offset.Value,
            r.Message.Timestamp.Type == TimestampType.NotAvailable ? null : new DateTimeOffset(r.Message.Timestamp.UtcDateTime, TimeSpan.Zero),
            r.Message.Key, value.Length <= keepBytes ? value : value[..keepBytes], value.Length, reason)
        {
            SourceTopic = Header(headers, DeadLetterHeaders.SourceTopic),
            SourcePartition = int.TryParse(Header(headers, DeadLetterHeaders.SourcePartition), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null,
            SourceOffset = long.TryParse(Header(headers, DeadLetterHeaders.SourceOffset), NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : null,
            OriginalSize = long.TryParse(Header(headers, DeadLetterHeaders.OriginalSize), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null,
        };
    }

    private static string? Header(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
