using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Spans of Kafka sends and of the processing of consumed records, named and tagged after the OpenTelemetry
/// messaging conventions (<c>send raw-data</c>, <c>process raw-data</c>, <c>messaging.*</c> attributes).
/// <para>
/// Spans here are never made <see cref="Activity.Current"/>: they start on one thread (an actor, a stream stage)
/// and end on another (a delivery report, a later batch), and an actor's thread goes on to other messages, which
/// must not become their children. Each span's parent is passed explicitly instead.
/// </para>
/// </summary>
public static class KafkaTracing
{
    public const string MessagingSystem = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string Destination = "messaging.destination.name";
    public const string Partition = "messaging.destination.partition.id";
    public const string Offset = "messaging.kafka.offset";
    public const string MessageKey = "messaging.kafka.message.key";

    private const string Kafka = "kafka";
    private const string Send = "send";
    private const string Process = "process";

    /// <summary>
    /// Starts the span of one send to <paramref name="topic"/> as a child of <paramref name="parent"/> (a new trace
    /// when the parent is default: decide with <see cref="StartsTrace"/> first) and puts its context in <paramref name="headers"/>.
    /// Null when the span is not recorded; the headers are then left as they were.
    /// </summary>
    public static Activity? StartSend(ActivitySource source, string topic, in ActivityContext parent, Headers headers, string? key = null)
    {
        var span = StartDetached(source, $"{Send} {topic}", ActivityKind.Producer, parent);
        if (span is null) return null;
        span.SetTag(MessagingSystem, Kafka);
        span.SetTag(OperationType, Send);
        span.SetTag(OperationName, Send);
        span.SetTag(Destination, topic);
        if (key is not null) span.SetTag(MessageKey, key);
        TraceParentHeader.Write(headers, span.Context);
        return span;
    }

    /// <summary>Ends a send's span with what the broker answered.</summary>
    public static void Sent(Activity span, DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError) span.SetStatus(ActivityStatusCode.Error, report.Error.Reason);
        else
        {
            span.SetTag(Partition, report.Partition.Value.ToString(CultureInfo.InvariantCulture));
            span.SetTag(Offset, report.Offset.Value);
        }

        StopDetached(span);
    }

    /// <summary>
    /// Whether to start a new trace, at <paramref name="ratio"/> (0..1). Taken here, before any span exists, rather
    /// than by the tracer's sampler: for a root it drops, OpenTelemetry still creates an activity (to propagate the
    /// trace id in-process), which would cost every untraced event an allocation. Tracers of these spans therefore
    /// record every root they are asked for, and follow the parent's decision otherwise.
    /// </summary>
    public static bool StartsTrace(double ratio) => ratio >= 1 || (ratio > 0 && Random.Shared.NextDouble() < ratio);

    /// <summary>
    /// Starts the span of processing one consumed record: a child of the trace in its <c>traceparent</c> header;
    /// nothing when the header says the trace is not recorded; a trace of its own, at <paramref name="rootRatio"/>
    /// (<see cref="StartsTrace"/>), when there is no (valid) header. Callers check
    /// <see cref="ActivitySource.HasListeners"/> first, which is all a record costs while nobody traces.
    /// </summary>
    public static Activity? StartProcess(ActivitySource source, ConsumeResult<byte[]?, byte[]?> record, double rootRatio)
    {
        var state = TraceParentHeader.Read(record.Message.Headers, out var parent);
        if (state == TraceParentState.Unsampled || (state != TraceParentState.Sampled && !StartsTrace(rootRatio))) return null;
        var span = StartDetached(source, $"{Process} {record.Topic}", ActivityKind.Consumer, parent);
        if (span is null) return null;
        span.SetTag(MessagingSystem, Kafka);
        span.SetTag(OperationType, Process);
        span.SetTag(OperationName, Process);
        span.SetTag(Destination, record.Topic);
        span.SetTag(Partition, record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        span.SetTag(Offset, record.Offset.Value);
        if (state == TraceParentState.Malformed) span.SetTag("traffic.traceparent.malformed", true);
        return span;
    }

    /// <summary>
    /// Starts a span with an explicit parent (a root when default) and leaves <see cref="Activity.Current"/> as it was.
    /// Null unless the span is recorded.
    /// </summary>
    public static Activity? StartDetached(ActivitySource source, string name, ActivityKind kind, in ActivityContext parent)
    {
        var previous = Activity.Current;
        // With a default parent the source would otherwise take the current activity as the parent.
        Activity.Current = null;
        try
        {
            var span = source.StartActivity(name, kind, parent);
            // A sampler that drops a trace still hands back an activity, to propagate the context in-process. Nothing
            // here propagates that way (the context travels explicitly), and carrying it on would cost every dropped
            // event the spans, headers and callbacks of a recorded one; it is left unstopped, so no processor sees it.
            return span is { Recorded: true } ? span : null;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    /// <summary>Ends a span started by <see cref="StartDetached"/>, on any thread.</summary>
    public static void StopDetached(Activity span)
    {
        var previous = Activity.Current;
        span.Stop();
        Activity.Current = previous;
    }
}
