namespace TrafficActors.DeadLetters;

/// <summary>What <c>traffic dlq show</c> lists: the newest <see cref="Last"/> dead letters, optionally only those whose reason contains <see cref="Reason"/>.</summary>
public sealed record DeadLetterQuery(int Last, string? Reason)
{
    /// <summary>Checks the command line's values against the configured bounds; throws <see cref="ArgumentException"/> with the message to show.</summary>
    public static DeadLetterQuery Create(int? last, string? reason, int defaultLast, int maxLast)
    {
        var n = last ?? defaultLast;
        if (n < 1 || n > maxLast)
            throw new ArgumentException($"--last must be within 1..{maxLast}, not {n}");
        if (reason is not null && string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("--reason must not be empty");
        return new DeadLetterQuery(n, reason);
    }

    /// <summary>Case-insensitive substring match on the reason; a record without a reason matches only an unfiltered query.</summary>
    public bool Matches(string? reason) =>
        Reason is null || (reason is not null && reason.Contains(Reason, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Where to start reading a partition holding offsets <paramref name="low"/>..<paramref name="high"/>-1. Without a
    /// filter the newest <see cref="Last"/> of every partition hold the newest <see cref="Last"/> overall; with one, the
    /// matches may lie further back, so the newest <paramref name="scanDepth"/> are searched.
    /// </summary>
    public long StartOffset(long low, long high, int scanDepth) =>
        Math.Max(low, high - (Reason is null ? Last : Math.Max(Last, scanDepth)));
}
