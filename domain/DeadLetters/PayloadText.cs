using System.Buffers;
using System.Globalization;
using System.Text;

namespace TrafficActors.DeadLetters;

/// <summary>
/// Bytes of unknown content (a rejected payload, a key, a header) made safe to print: never cut inside a character,
/// invalid UTF-8 shown as <c>\xNN</c>, and, for a terminal, control and format characters (escape sequences,
/// line breaks, bidirectional overrides) shown as escapes so a payload can neither break a line nor drive the terminal.
/// </summary>
public static class PayloadText
{
    /// <summary>
    /// Decodes at most <paramref name="maxBytes"/> of <paramref name="bytes"/>. <paramref name="escapeControls"/> off
    /// leaves control characters as they are, for output (JSON) that escapes them itself. <paramref name="moreFollows"/>
    /// says the bytes are themselves the head of something longer, so a character they end inside is cut, not invalid.
    /// </summary>
    public static DecodedText Decode(ReadOnlySpan<byte> bytes, int maxBytes, bool escapeControls, bool moreFollows = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var text = new StringBuilder(Math.Min(bytes.Length, maxBytes) + 8);
        var i = 0;
        var invalid = false;
        while (i < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[i..], out var rune, out var consumed);
            if (status == OperationStatus.NeedMoreData && moreFollows) return new DecodedText(text.ToString(), i, Cut: true, invalid);
            if (status != OperationStatus.Done) consumed = 1;
            // A character that would not fit whole is left out rather than split.
            if (i + consumed > maxBytes) return new DecodedText(text.ToString(), i, Cut: true, invalid);
            if (status != OperationStatus.Done)
            {
                invalid = true;
                text.Append(CultureInfo.InvariantCulture, $"\\x{bytes[i]:X2}");
            }
            else if (escapeControls && NeedsEscape(rune)) AppendEscape(text, rune);
            else text.Append(rune.ToString());
            i += consumed;
        }

        return new DecodedText(text.ToString(), i, Cut: false, invalid);
    }

    /// <summary>A string from elsewhere (a reason header) as one safe line.</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return Decode(bytes, bytes.Length, escapeControls: true).Text;
    }

    private static bool NeedsEscape(Rune rune) =>
        Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static void AppendEscape(StringBuilder text, Rune rune)
    {
        switch (rune.Value)
        {
            case '\n': text.Append("\\n"); break;
            case '\r': text.Append("\\r"); break;
            case '\t': text.Append("\\t"); break;
            default: text.Append(CultureInfo.InvariantCulture, $"\\u{{{rune.Value:X4}}}"); break;
        }
    }
}
