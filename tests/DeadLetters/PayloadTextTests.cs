using System.Text;
using TrafficActors.DeadLetters;
using Xunit;

namespace TrafficActors.Tests.DeadLetters;

/// <summary>Rejected payloads printed safely: cut on character boundaries, invalid UTF-8 and terminal controls escaped.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class PayloadTextTests
{
    [Fact]
    public void Valid_text_within_the_limit_is_shown_as_it_is()
    {
        var text = PayloadText.Decode("{\"speed\":\"schnell ü\"}"u8, 100, escapeControls: true);
        Assert.Equal("{\"speed\":\"schnell ü\"}", text.Text);
        Assert.False(text.Cut);
        Assert.False(text.Invalid);
    }

    [Fact]
    public void Invalid_utf8_bytes_are_shown_as_hex_escapes()
    {
        var text = PayloadText.Decode([(byte)'a', 0xFF, 0xC3, (byte)'b'], 100, escapeControls: true);
        Assert.Equal("a\\xFF\\xC3b", text.Text);
        Assert.True(text.Invalid);
    }

    [Fact]
    public void Control_and_format_characters_cannot_reach_the_terminal()
    {
        var bytes = Encoding.UTF8.GetBytes("a\nb\tc\r\u001b[31md\u202Ee\u2028");
        Assert.Equal("a\\nb\\tc\\r\\u{001B}[31md\\u{202E}e\\u{2028}", PayloadText.Decode(bytes, 100, escapeControls: true).Text);
    }

    [Fact]
    public void Without_control_escaping_controls_stay_for_a_json_writer_to_escape() =>
        Assert.Equal("a\nb", PayloadText.Decode("a\nb"u8, 100, escapeControls: false).Text);

    [Fact]
    public void A_cut_never_splits_a_character()
    {
        // "aé€" is 1 + 2 + 3 bytes: a limit of 5 keeps "aé" and leaves the euro sign out whole.
        var text = PayloadText.Decode("aé€"u8, 5, escapeControls: true);
        Assert.Equal("aé", text.Text);
        Assert.Equal(3, text.BytesUsed);
        Assert.True(text.Cut);
        Assert.False(text.Invalid);
    }

    [Fact]
    public void A_character_cut_off_by_whoever_kept_the_head_is_a_cut_not_invalid_text()
    {
        var head = "a€"u8[..3];
        Assert.True(PayloadText.Decode(head, 100, escapeControls: true, moreFollows: true) is { Text: "a", Cut: true, Invalid: false });
        Assert.True(PayloadText.Decode(head, 100, escapeControls: true, moreFollows: false) is { Text: "a\\xE2\\x82", Invalid: true });
    }

    [Fact]
    public void One_line_escapes_a_header_with_line_breaks() =>
        Assert.Equal("bad\\ninput", PayloadText.OneLine("bad\ninput"));
}
