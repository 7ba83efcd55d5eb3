using System.Text.Json;

namespace TrafficActors.Kafka;

/// <summary>
/// Reads the parts of librdkafka's statistics JSON (see librdkafka's STATISTICS.md) that <see cref="KafkaStatistics"/>
/// holds. A report is tens of kilobytes with hundreds of fields, most of which nobody watches, so it is walked with
/// <see cref="JsonDocument"/> rather than bound to a full object model.
/// </summary>
internal static class StatisticsParser
{
    // librdkafka's placeholder partition for messages not yet assigned one.
    private const int UnassignedPartition = -1;

    public static KafkaStatistics? Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return null;

            return new KafkaStatistics(
                String(root, "name"),
                String(root, "client_id"),
                type.GetString()!,
                Long(root, "replyq"),
                Long(root, "msg_cnt"),
                Long(root, "msg_size"),
                Brokers(root),
                Partitions(root));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<BrokerStatistics> Brokers(JsonElement root)
    {
        var brokers = new List<BrokerStatistics>();
        if (!root.TryGetProperty("brokers", out var all) || all.ValueKind != JsonValueKind.Object) return brokers;
        foreach (var entry in all.EnumerateObject())
        {
            var b = entry.Value;
            if (b.ValueKind != JsonValueKind.Object) continue;
            // Bootstrap addresses before metadata (node id -1) and the logical coordinator handle are not brokers of
            // their own: their traffic shows again under the broker they stand for.
            var nodeId = (int)Long(b, "nodeid", -1);
            if (nodeId < 0 || String(b, "source") == "logical") continue;
            TimeSpan? avg = null, p99 = null;
            if (b.TryGetProperty("rtt", out var rtt) && rtt.ValueKind == JsonValueKind.Object && Long(rtt, "cnt") > 0)
            {
                avg = Microseconds(Long(rtt, "avg"));
                p99 = Microseconds(Long(rtt, "p99"));
            }

            brokers.Add(new BrokerStatistics(String(b, "name", entry.Name), nodeId, String(b, "state"), Long(b, "outbuf_cnt"), Long(b, "waitresp_cnt"), avg, p99));
        }

        return brokers;
    }

    private static List<PartitionStatistics> Partitions(JsonElement root)
    {
        var partitions = new List<PartitionStatistics>();
        if (!root.TryGetProperty("topics", out var topics) || topics.ValueKind != JsonValueKind.Object) return partitions;
        foreach (var topic in topics.EnumerateObject())
        {
            if (topic.Value.ValueKind != JsonValueKind.Object
                || !topic.Value.TryGetProperty("partitions", out var all) || all.ValueKind != JsonValueKind.Object)
                continue;
            var name = String(topic.Value, "topic", topic.Name);
            foreach (var entry in all.EnumerateObject())
            {
                var p = entry.Value;
                if (p.ValueKind != JsonValueKind.Object) continue;
                var id = (int)Long(p, "partition", UnassignedPartition);
                if (id == UnassignedPartition) continue;
                // librdkafka writes -1 for a lag it cannot tell (no committed offset or watermark yet).
                var lag = Long(p, "consumer_lag", -1);
                partitions.Add(new PartitionStatistics(
                    name, id, Bool(p, "desired"), lag < 0 ? null : lag,
                    Long(p, "msgq_cnt"), Long(p, "fetchq_cnt"), Long(p, "txmsgs"), Long(p, "rxmsgs")));
            }
        }

        return partitions;
    }

    // Round trips are reported in microseconds.
    private static TimeSpan Microseconds(long value) => TimeSpan.FromMicroseconds(value);

    private static string String(JsonElement e, string name, string fallback = "") =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? fallback : fallback;

    private static long Long(JsonElement e, string name, long fallback = 0)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number) return fallback;
        return v.TryGetInt64(out var n) ? n : (long)v.GetDouble();
    }

    private static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
