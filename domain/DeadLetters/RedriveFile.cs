using TrafficActors.Domain;

namespace TrafficActors.DeadLetters;

/// <summary>
/// A JSON Lines file of corrected raw events for <c>traffic dlq redrive</c>, checked line by line with the ingest
/// stream's own parser and limits, so what is sent is exactly what the pipeline accepts. Blank lines are skipped.
/// </summary>
public sealed record RedriveFile(IReadOnlyList<RedriveRecord> Records, IReadOnlyList<RedriveLineError> Errors)
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public bool IsValid => Errors.Count == 0;

    public static RedriveFile Parse(ReadOnlySpan<byte> content, ValidationLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (content.StartsWith(Utf8Bom)) content = content[Utf8Bom.Length..];
        var records = new List<RedriveRecord>();
        var errors = new List<RedriveLineError>();
        var line = 0;
        while (!content.IsEmpty)
        {
            line++;
            var end = content.IndexOf((byte)'\n');
            var text = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            // Whitespace around the object (a Windows line end, indentation) is not part of the event.
            text = text.Trim(" \t\r"u8);
            if (text.IsEmpty) continue;
            var parsed = RawEventParser.Parse(text, limits);
            if (parsed.IsValid) records.Add(new RedriveRecord(line, parsed.Event!.CarId, text.ToArray()));
            else errors.Add(new RedriveLineError(line, parsed.Error!));
        }

        return new RedriveFile(records, errors);
    }
}
