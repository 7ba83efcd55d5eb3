using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using TrafficActors.Kafka;
using Xunit;

namespace TrafficActors.Tests.Kafka;

/// <summary>The W3C traceparent header on Kafka records and the send/process spans built on it.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class TraceParentHeaderTests : IDisposable
{
    private const string Sampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string Unsampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

    // A source of this test's own, so spans other tests start in parallel are not seen here.
    private readonly ActivitySource _source = new("TrafficActors.Tests." + Guid.NewGuid());
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public TraceParentHeaderTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, _source),
            // Like a ratio sampler at 1 behind a parent-based one: follows the parent's flag, records every root.
            Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
                o.Parent == default || o.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.None,
            ActivityStopped = a => { lock (_stopped) _stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }

    private static Headers With(string value) => new() { { TraceParentHeader.Name, Encoding.ASCII.GetBytes(value) } };

    [Fact]
    public void A_sampled_header_gives_its_trace_and_span()
    {
        Assert.Equal(TraceParentState.Sampled, TraceParentHeader.Read(With(Sampled), out var ctx));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", ctx.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", ctx.SpanId.ToHexString());
        Assert.True(ctx.IsRemote);
    }

    [Theory]
    [InlineData(Unsampled, TraceParentState.Unsampled)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0", TraceParentState.Malformed)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0Z", TraceParentState.Malformed)]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01", TraceParentState.Malformed)]
    [InlineData("not a trace context at all, though long enough to be one", TraceParentState.Malformed)]
    [InlineData("", TraceParentState.Malformed)]
    public void Other_headers_are_told_apart_without_failing(string value, TraceParentState expected)
    {
        Assert.Equal(expected, TraceParentHeader.Read(With(value), out var ctx));
        Assert.Equal(default, ctx);
    }

    [Fact]
    public void No_headers_or_no_traceparent_is_absent()
    {
        Assert.Equal(TraceParentState.Absent, TraceParentHeader.Read(null, out _));
        Assert.Equal(TraceParentState.Absent, TraceParentHeader.Read(new Headers { { "other", [1] } }, out _));
    }

    [Fact]
    public void Writing_replaces_the_header_and_reads_back()
    {
        var headers = With(Unsampled);
        var ctx = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        TraceParentHeader.Write(headers, ctx);
        Assert.Single(headers, h => h.Key == TraceParentHeader.Name);
        Assert.Equal(TraceParentState.Sampled, TraceParentHeader.Read(headers, out var back));
        Assert.Equal((ctx.TraceId, ctx.SpanId), (back.TraceId, back.SpanId));

        TraceParentHeader.WriteUnsampled(headers);
        Assert.Equal(TraceParentState.Unsampled, TraceParentHeader.Read(headers, out _));
    }

    [Fact]
    public void A_send_span_puts_its_own_context_in_the_record()
    {
        var headers = new Headers();
        var span = KafkaTracing.StartSend(_source, "raw-data", default, headers, "42");
        Assert.NotNull(span);
        Assert.Null(Activity.Current);
        Assert.Equal(TraceParentState.Sampled, TraceParentHeader.Read(headers, out var written));
        Assert.Equal((span.TraceId, span.SpanId), (written.TraceId, written.SpanId));
        Assert.Equal("send raw-data", span.DisplayName);
        Assert.Equal(ActivityKind.Producer, span.Kind);
        Assert.Equal("raw-data", span.GetTagItem(KafkaTracing.Destination));
        Assert.Equal("42", span.GetTagItem(KafkaTracing.MessageKey));

        KafkaTracing.Sent(span, new DeliveryReport<byte[]?, byte[]?> { Topic = "raw-data", Partition = 3, Offset = 17, Error = new Error(ErrorCode.NoError) });
        Assert.Equal("3", span.GetTagItem(KafkaTracing.Partition));
        Assert.Contains(span, _stopped);
    }

    [Fact]
    public void A_failed_send_ends_its_span_as_an_error()
    {
        var span = KafkaTracing.StartSend(_source, "alert-data", default, new Headers())!;
        KafkaTracing.Sent(span, new DeliveryReport<byte[]?, byte[]?> { Error = new Error(ErrorCode.MsgSizeTooLarge) });
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public void Processing_continues_the_records_trace_or_starts_one()
    {
        var child = KafkaTracing.StartProcess(_source, Record(With(Sampled)), rootRatio: 0);
        Assert.NotNull(child);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", child.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", child.ParentSpanId.ToHexString());
        Assert.Equal("process raw-data", child.DisplayName);
        Assert.Equal(5L, child.GetTagItem(KafkaTracing.Offset));

        // The producer decided not to record this one: neither does the consumer.
        Assert.Null(KafkaTracing.StartProcess(_source, Record(With(Unsampled)), rootRatio: 1));

        // Without a header the node starts traces at its own ratio.
        Assert.Null(KafkaTracing.StartProcess(_source, Record(null), rootRatio: 0));
        var root = KafkaTracing.StartProcess(_source, Record(null), rootRatio: 1);
        Assert.NotNull(root);
        Assert.Equal(default, root.ParentSpanId);

        var malformed = KafkaTracing.StartProcess(_source, Record(With("00-garbage")), rootRatio: 1);
        Assert.NotNull(malformed);
        Assert.Equal(default, malformed.ParentSpanId);
        Assert.Equal(true, malformed.GetTagItem("traffic.traceparent.malformed"));
    }

    [Fact]
    public void A_trace_the_sampler_drops_costs_no_span_header_or_callback()
    {
        // What OpenTelemetry's SDK answers for a dropped trace: an activity for in-process propagation only.
        using var source = new ActivitySource("TrafficActors.Tests.Dropped." + Guid.NewGuid());
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(listener);
        var headers = new Headers();
        Assert.Null(KafkaTracing.StartSend(source, "raw-data", default, headers));
        Assert.Empty(headers);
        Assert.Null(KafkaTracing.StartProcess(source, Record(null), rootRatio: 1));
        Assert.Null(Activity.Current);
    }

    [Fact]
    public void Detached_spans_leave_the_current_activity_alone()
    {
        using var outer = _source.StartActivity("outer");
        Assert.NotNull(outer);
        var span = KafkaTracing.StartDetached(_source, "inner", ActivityKind.Internal, default);
        Assert.NotNull(span);
        Assert.Same(outer, Activity.Current);
        Assert.NotEqual(outer.TraceId, span.TraceId);
        KafkaTracing.StopDetached(span);
        Assert.Same(outer, Activity.Current);
    }

    private static ConsumeResult<byte[]?, byte[]?> Record(Headers? headers) => new()
    {
        Topic = "raw-data",
        Partition = 1,
        Offset = 5,
        Message = new Message<byte[]?, byte[]?> { Value = [], Headers = headers },
    };
}
