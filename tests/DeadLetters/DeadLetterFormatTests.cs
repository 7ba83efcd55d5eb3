using System.Text;
using System.Text.Json;
using TrafficActors.DeadLetters;
using Xunit;

namespace TrafficActors.Tests.DeadLetters;

/// <summary>How `traffic dlq show` prints one dead letter, as text for people and as a JSON line for scripts.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class DeadLetterFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 15, 30, 250, TimeSpan.Zero);
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"event_id\":\"e1\",\"car_id\":1000146,\"gear\":9}");

    private static DeadLetter Letter(byte[] payload, int? size = null, string? reason = "gear out of range: 9 not in 1..7") =>
        new(2, 41, At, Encoding.ASCII.GetBytes("1000146"), payload, size ?? payload.Length, reason)
        {
            SourceTopic = "raw-data",
            SourcePartition = 5,
            SourceOffset = 1234,
        };

    [Fact]
    public void Text_shows_when_where_why_the_key_its_source_and_the_payload()
    {
        var lines = DeadLetterFormat.Text(Letter(Payload), 300).Split('\n');
        Assert.Equal(
            [
                "2026-12-07 10:15:30.250Z  2:41  gear out of range: 9 not in 1..7",
                "  key 1000146  from raw-data 5:1234",
                "  {\"event_id\":\"e1\",\"car_id\":1000146,\"gear\":9}",
            ],
            lines);
    }

    [Fact]
    public void Text_cuts_a_long_payload_and_says_how_long_it_was()
    {
        var text = DeadLetterFormat.Text(Letter(Payload), 10);
        Assert.EndsWith("  {\"event_id … (43 bytes)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_shows_a_payload_cut_by_the_ingest_stream_with_its_original_size()
    {
        var text = DeadLetterFormat.Text(Letter(Payload) with { OriginalSize = 2_000_000 }, 300);
        Assert.EndsWith("… (2000000 bytes originally, 43 kept)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_names_a_missing_reason_an_empty_payload_and_a_missing_key()
    {
        var text = DeadLetterFormat.Text(new DeadLetter(0, 0, null, null, [], 0, null), 300);
        Assert.Equal(["(no timestamp)  0:0  " + DeadLetterFormat.NoReason, "  key (none)", "  (empty)"], text.Split('\n'));
    }

    [Fact]
    public void Text_escapes_a_binary_payload_and_a_reason_with_a_line_break()
    {
        var text = DeadLetterFormat.Text(Letter([0x00, 0xFF, (byte)'x'], reason: "two\nlines"), 300);
        Assert.Equal(3, text.Split('\n').Length);
        Assert.Contains("two\\nlines", text, StringComparison.Ordinal);
        Assert.EndsWith("  \\u{0000}\\xFFx", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_is_one_snake_case_object_per_line_with_the_payload_as_text()
    {
        var line = DeadLetterFormat.Json(Letter(Payload), 65536);
        Assert.DoesNotContain('\n', line);
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        Assert.Equal("2026-12-07T10:15:30.25Z", root.GetProperty("time").GetString());
        Assert.Equal(2, root.GetProperty("partition").GetInt32());
        Assert.Equal(41, root.GetProperty("offset").GetInt64());
        Assert.Equal("gear out of range: 9 not in 1..7", root.GetProperty("reason").GetString());
        Assert.Equal("1000146", root.GetProperty("key").GetString());
        Assert.Equal(Encoding.UTF8.GetString(Payload), root.GetProperty("payload").GetString());
        Assert.Equal(43, root.GetProperty("payload_bytes").GetInt32());
        Assert.False(root.GetProperty("payload_truncated").GetBoolean());
        Assert.False(root.TryGetProperty("payload_base64", out _));
        Assert.Equal("raw-data", root.GetProperty("source_topic").GetString());
        Assert.Equal(5, root.GetProperty("source_partition").GetInt32());
        Assert.Equal(1234, root.GetProperty("source_offset").GetInt64());
        Assert.False(root.TryGetProperty("original_size", out _));
    }

    [Fact]
    public void Json_gives_the_exact_bytes_of_an_invalid_payload_in_base64()
    {
        byte[] binary = [(byte)'a', 0xFF, 0x00];
        using var doc = JsonDocument.Parse(DeadLetterFormat.Json(Letter(binary), 65536));
        Assert.Equal("a\\xFF\0", doc.RootElement.GetProperty("payload").GetString());
        Assert.Equal(binary, doc.RootElement.GetProperty("payload_base64").GetBytesFromBase64());
    }

    [Fact]
    public void Json_marks_a_cut_payload_and_a_missing_reason_and_key()
    {
        var letter = new DeadLetter(0, 7, At, null, Payload[..20], 43, null);
        using var doc = JsonDocument.Parse(DeadLetterFormat.Json(letter, 10));
        var root = doc.RootElement;
        Assert.Equal("{\"event_id", root.GetProperty("payload").GetString());
        Assert.True(root.GetProperty("payload_truncated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("key").ValueKind);
    }
}
