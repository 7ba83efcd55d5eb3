using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// The W3C trace context of a record in its <c>traceparent</c> header (https://www.w3.org/TR/trace-context/).
/// Reading is on every consumed record while tracing is on, so a header that says "not sampled" is recognised from
/// its flags alone, without parsing the ids.
/// </summary>
public static class TraceParentHeader
{
    public const string Name = "traceparent";

    // "00-" + 32 hex trace id + "-" + 16 hex span id + "-" + 2 hex flags; later versions may only append to it.
    private const int Length = 55;
    private const int FlagsLowDigit = Length - 1;

    /// <summary>What a record's header says; <paramref name="context"/> is set only for <see cref="TraceParentState.Sampled"/>.</summary>
    public static TraceParentState Read(Headers? headers, out ActivityContext context)
    {
        context = default;
        if (headers is null || !headers.TryGetLastBytes(Name, out var bytes)) return TraceParentState.Absent;
        if (bytes is null || bytes.Length < Length || HexValue(bytes[FlagsLowDigit]) is not { } low) return TraceParentState.Malformed;
        if ((low & (int)ActivityTraceFlags.Recorded) == 0) return TraceParentState.Unsampled;
        return ActivityContext.TryParse(Encoding.ASCII.GetString(bytes), null, isRemote: true, out context)
            ? TraceParentState.Sampled
            : TraceParentState.Malformed;
    }

    /// <summary>Adds (or replaces) the header carrying <paramref name="context"/>.</summary>
    public static void Write(Headers headers, in ActivityContext context)
    {
        var text = $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(byte)context.TraceFlags:x2}";
        headers.Remove(Name);
        headers.Add(Name, Encoding.ASCII.GetBytes(text));
    }

    /// <summary>
    /// A header that carries a decision not to record: a trace's first producer writes it for the records its
    /// sampler dropped, so that consumers do not sample those records again on their own.
    /// </summary>
    public static void WriteUnsampled(Headers headers) =>
        Write(headers, new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None));

    private static int? HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => null,
    };
}
