using System.Text;
using TrafficActors.DeadLetters;
using TrafficActors.Domain;
using Xunit;

namespace TrafficActors.Tests.DeadLetters;

/// <summary>
/// The redrive file is checked with the ingest stream's own parser and limits before anything is sent, and every
/// bad line is reported with its line number.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class RedriveFileTests
{
    private const string Good1 = "{\"event_id\":\"e1\",\"event_time\":\"2026-12-07T10:00:00Z\",\"car_id\":1000146,\"speed\":90,\"rpm\":3000,\"gear\":3}";
    private const string Good2 = "{\"event_id\":\"e2\",\"event_time\":\"2026-12-07T10:00:01Z\",\"car_id\":1000147,\"speed\":5,\"rpm\":900,\"gear\":1}";

    private static RedriveFile Parse(string content, ValidationLimits? limits = null) =>
        RedriveFile.Parse(Encoding.UTF8.GetBytes(content), limits ?? ValidationLimits.Default);

    [Fact]
    public void Valid_lines_become_records_keyed_by_car_with_their_line_numbers_and_bytes()
    {
        var file = Parse(Good1 + "\n\n" + Good2 + "\n");
        Assert.True(file.IsValid);
        Assert.Equal([(1, 1000146L), (3, 1000147L)], file.Records.Select(r => (r.Line, r.CarId)));
        Assert.Equal(Good2, Encoding.UTF8.GetString(file.Records[1].Value));
    }

    [Fact]
    public void Windows_line_ends_surrounding_blanks_a_byte_order_mark_and_a_missing_final_newline_are_accepted()
    {
        var file = RedriveFile.Parse([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("  " + Good1 + " \r\n\t\r\n" + Good2)], ValidationLimits.Default);
        Assert.True(file.IsValid);
        Assert.Equal([1, 3], file.Records.Select(r => r.Line));
        Assert.Equal(Good1, Encoding.UTF8.GetString(file.Records[0].Value));
    }

    [Fact]
    public void Every_bad_line_is_reported_with_its_number_and_the_parser_s_reason()
    {
        var file = Parse(string.Join('\n',
            Good1,
            "not json",
            Good2.Replace("\"gear\":1", "\"gear\":9", StringComparison.Ordinal),
            "{\"event_id\":\"e4\",\"car_id\":1}",
            Good2));

        Assert.False(file.IsValid);
        Assert.Equal([2, 3, 4], file.Errors.Select(e => e.Line));
        Assert.StartsWith("malformed JSON", file.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Equal("gear out of range: 9 not in 1..7", file.Errors[1].Reason);
        Assert.Equal("missing field: event_time", file.Errors[2].Reason);
        Assert.Equal("fix.jsonl:3: gear out of range: 9 not in 1..7", file.Errors[1].Describe("fix.jsonl"));
    }

    [Fact]
    public void The_configured_limits_decide_what_is_valid()
    {
        var strict = ValidationLimits.Default with { MaxSpeed = 80 };
        var file = Parse(Good1, strict);
        Assert.Equal(["speed out of range: 90 not in 0..80"], file.Errors.Select(e => e.Reason));
    }

    [Fact]
    public void Invalid_utf8_on_a_line_is_reported_not_sent()
    {
        var file = RedriveFile.Parse([.. Encoding.UTF8.GetBytes(Good1 + "\n"), 0xFF, (byte)'\n'], ValidationLimits.Default);
        Assert.Equal([(2, "invalid UTF-8")], file.Errors.Select(e => (e.Line, e.Reason)));
    }

    [Fact]
    public void An_empty_or_blank_file_holds_no_records()
    {
        Assert.Empty(Parse("").Records);
        Assert.Empty(Parse("\n  \r\n").Records);
        Assert.True(Parse("\n").IsValid);
    }
}
