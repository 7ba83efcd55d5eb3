using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrafficActors.DeadLetters;

/// <summary>How <c>traffic dlq show</c> prints a dead letter: a few lines for people, or one JSON object (snake_case) for scripts.</summary>
public static class DeadLetterFormat
{
    public const string NoReason = "(no reason header)";

    // Payloads are JSON themselves: the relaxed encoder keeps their quotes and non-ASCII text readable.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Three lines: when, where and why; the key and where it came from; the payload, at most
    /// <paramref name="displayBytes"/> of it, with its full size when cut.
    /// </summary>
    public static string Text(DeadLetter d, int displayBytes)
    {
        ArgumentNullException.ThrowIfNull(d);
        var time = d.Time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "(no timestamp)";
        var reason = d.Reason is null ? NoReason : PayloadText.OneLine(d.Reason);
        var key = d.Key is null ? "(none)" : PayloadText.Decode(d.Key, d.Key.Length, escapeControls: true).Text;
        var source = d.SourceTopic is null ? "" : $"  from {PayloadText.OneLine(d.SourceTopic)} {d.SourcePartition?.ToString(CultureInfo.InvariantCulture) ?? "?"}:{d.SourceOffset?.ToString(CultureInfo.InvariantCulture) ?? "?"}";
        var shown = PayloadText.Decode(d.Payload, displayBytes, escapeControls: true, moreFollows: d.PayloadCut);
        var size = d.OriginalSize is { } original
            ? $" … ({original.ToString(CultureInfo.InvariantCulture)} bytes originally, {d.PayloadBytes.ToString(CultureInfo.InvariantCulture)} kept)"
            : shown.Cut || d.PayloadCut ? $" … ({d.PayloadBytes.ToString(CultureInfo.InvariantCulture)} bytes)" : "";
        var payload = d.PayloadBytes == 0 ? "(empty)" : shown.Text;
        return new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{time}  {d.Partition}:{d.Offset}  {reason}").Append('\n')
            .Append(CultureInfo.InvariantCulture, $"  key {key}{source}").Append('\n')
            .Append("  ").Append(payload).Append(size)
            .ToString();
    }

    /// <summary>
    /// One JSON object on one line. <c>payload</c> is the text (invalid UTF-8 as <c>\xNN</c>, then also
    /// <c>payload_base64</c> with the exact bytes); <c>payload_truncated</c> says whether bytes were left out.
    /// </summary>
    public static string Json(DeadLetter d, int jsonBytes)
    {
        ArgumentNullException.ThrowIfNull(d);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            if (d.Time is { } t) w.WriteString("time", t.UtcDateTime);
            else w.WriteNull("time");
            w.WriteNumber("partition", d.Partition);
            w.WriteNumber("offset", d.Offset);
            w.WriteString("reason", d.Reason);
            if (d.Key is null) w.WriteNull("key");
            else w.WriteString("key", PayloadText.Decode(d.Key, d.Key.Length, escapeControls: false).Text);
            var payload = PayloadText.Decode(d.Payload, jsonBytes, escapeControls: false, moreFollows: d.PayloadCut);
            w.WriteString("payload", payload.Text);
            if (payload.Invalid) w.WriteBase64String("payload_base64", d.Payload.AsSpan(0, payload.BytesUsed));
            w.WriteNumber("payload_bytes", d.PayloadBytes);
            w.WriteBoolean("payload_truncated", payload.Cut || d.PayloadCut || d.OriginalSize is not null);
            WriteOptional(w, "source_topic", d.SourceTopic);
            if (d.SourcePartition is { } sp) w.WriteNumber("source_partition", sp);
            if (d.SourceOffset is { } so) w.WriteNumber("source_offset", so);
            if (d.OriginalSize is { } os) w.WriteNumber("original_size", os);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
