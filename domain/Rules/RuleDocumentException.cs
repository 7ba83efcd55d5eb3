namespace TrafficActors.Rules;

/// <summary>
/// A rules document that cannot be used: the file, the line (syntax) or field (value) at fault and the reason, as an
/// operator needs them to fix it.
/// </summary>
public sealed class RuleDocumentException(string file, int line, string? field, string reason)
    : Exception(Describe(file, line, field, reason))
{
    public string File { get; } = file;

    /// <summary>1-based line of a syntax error; 0 when the error is about a field's value.</summary>
    public int Line { get; } = line;

    /// <summary>The field at fault, as a dotted path (e.g. <c>models."Mazda 3".overspeed.speed-above</c>).</summary>
    public string? Field { get; } = field;

    public string Reason { get; } = reason;

    private static string Describe(string file, int line, string? field, string reason) =>
        (line > 0, field) switch
        {
            (true, _) => $"{file}:{line}: {reason}",
            (false, { } f) => $"{file}: {f}: {reason}",
            _ => $"{file}: {reason}",
        };
}
