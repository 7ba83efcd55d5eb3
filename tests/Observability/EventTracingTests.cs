using System.Text;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Observability;

/// <summary>
/// Traces over OTLP from the real pieces: <c>traffic generate</c> as a child process starting each event's trace,
/// an in-process node continuing it, and a collector receiving what both export.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class EventTracingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_generated_event_is_one_connected_trace_over_every_hop_and_its_alert_record_carries_it_on()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var collector = await OtlpTraceReceiver.StartAsync();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, $"""
            traffic.management.port = 0
            traffic.telemetry.otlp.endpoint = "{collector.Url}"
            traffic.telemetry.otlp.protocol = "http/protobuf"
            traffic.telemetry.tracing.sampling-ratio = 1
            """));

        // A record whose traceparent is garbage: processed like any other, in a trace of its own.
        var bad = new RawEvent("malformed-traceparent-1", DateTimeOffset.UtcNow, 7, 180, 3000, 5);
        using (var producer = KafkaTestClient.Producer(broker.BootstrapServers))
        {
            await producer.ProduceAsync("raw-data", new Message<byte[]?, byte[]?>
            {
                Key = WireFormat.CarKey(bad.CarId),
                Value = WireFormat.ToJson(bad),
                Headers = new Headers { { TraceParentHeader.Name, Encoding.ASCII.GetBytes("00-not-a-trace-01") } },
            });
        }

        const int events = 40;
        using (var generator = TrafficProcess.Start(
                   $"generate --kafka-bootstrap {broker.BootstrapServers} --mode seed --count {events} --rate 0 --seed 11",
                   new Dictionary<string, string>
                   {
                       ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
                       ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                       ["TRAFFIC_TRACING_SAMPLING_RATIO"] = "1",
                   }))
        {
            Assert.True(generator.WaitForExit(Timeout), generator.Output);
            Assert.True(generator.ExitCode == 0, generator.Output);
        }

        await Poll.Until(() => Task.FromResult(node.Metrics.Processed >= events + 1), Timeout, $"{events + 1} events processed");

        // The node exports in batches every few seconds: wait for a whole trace of an alert.
        IReadOnlyList<ReceivedSpan> trace = [];
        await Poll.Until(
            () => Task.FromResult((trace = CompleteAlertTrace(collector.Spans)).Count > 0), Timeout,
            () => $"a trace with every hop of an alert; received: {string.Join(", ", collector.Spans.GroupBy(s => s.Name).Select(g => $"{g.Key} x{g.Count()}"))}");

        var send = Assert.Single(trace, s => s.Name == "send raw-data");
        Assert.Equal("traffic-generator", send.Service);
        Assert.Equal("", send.ParentSpanId);
        var process = Assert.Single(trace, s => s.Name == "process raw-data");
        Assert.Equal("traffic-actors", process.Service);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal("kafka", process.Attributes["messaging.system"]);
        var car = Assert.Single(trace, s => s.Name == "car process");
        Assert.Equal(process.SpanId, car.ParentSpanId);
        Assert.Equal(process.Attributes["traffic.event.id"], car.Attributes["traffic.event.id"]);
        Assert.Equal("true", car.Attributes["traffic.alert"]);
        Assert.NotEqual("", car.Attributes["traffic.violations"]);
        foreach (var output in new[] { "send samples-enriched", "send alert-data" })
        {
            var span = Assert.Single(trace, s => s.Name == output);
            Assert.Equal(car.SpanId, span.ParentSpanId);
            Assert.True(span.Attributes.ContainsKey("messaging.kafka.offset"), $"{output} has no offset: the broker did not acknowledge it");
        }

        var window = Assert.Single(trace, s => s.Name == "window count");
        Assert.Equal(car.SpanId, window.ParentSpanId);
        Assert.Equal("Count", window.Attributes["traffic.window.decision"]);

        // The alert record on Kafka carries the trace, as the span that sent it.
        var alertSend = trace.Single(s => s.Name == "send alert-data");
        var alerts = KafkaTestClient.ReadTopic(broker.BootstrapServers, "alert-data", read => read.Any(r => CarriesSpan(r, alertSend)), Timeout);
        var record = Assert.Single(alerts, r => CarriesSpan(r, alertSend));
        Assert.Equal(car.Attributes["traffic.car.id"], Encoding.ASCII.GetString(record.Message.Key!));

        // The malformed header's event: a root of its own, marked, with its car under it.
        ReceivedSpan? malformed = null;
        await Poll.Until(
            () => Task.FromResult((malformed = collector.Spans.FirstOrDefault(s => s.Name == "process raw-data"
                && s.Attributes.GetValueOrDefault("traffic.event.id") == bad.EventId)) is not null
                && collector.Spans.Any(s => s.Name == "car process" && s.ParentSpanId == malformed.SpanId)),
            Timeout, "the spans of the record with a malformed traceparent");
        Assert.Equal("", malformed!.ParentSpanId);
        Assert.Equal("true", malformed.Attributes["traffic.traceparent.malformed"]);
    }

    private static bool CarriesSpan(ConsumeResult<byte[]?, byte[]?> record, ReceivedSpan span) =>
        TraceParentHeader.Read(record.Message.Headers, out var ctx) == TraceParentState.Sampled
        && ctx.TraceId.ToHexString() == span.TraceId && ctx.SpanId.ToHexString() == span.SpanId;

    /// <summary>The spans of the first trace that has every hop an alert makes, or none.</summary>
    private static IReadOnlyList<ReceivedSpan> CompleteAlertTrace(IReadOnlyList<ReceivedSpan> spans)
    {
        string[] hops = ["send raw-data", "process raw-data", "car process", "send samples-enriched", "send alert-data", "window count"];
        return spans.GroupBy(s => s.TraceId)
            .Select(g => g.ToList())
            .FirstOrDefault(t => hops.All(h => t.Any(s => s.Name == h))) ?? [];
    }
}
