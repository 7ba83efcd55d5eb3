namespace TrafficActors.Domain;

/// <summary>Either a valid event or the reason the payload was rejected.</summary>
public readonly record struct ParseResult(RawEvent? Event, string? Error)
{
    public bool IsValid => Event is not null;

    public static ParseResult Ok(RawEvent e) => new(e, null);

    public static ParseResult Fail(string reason) => new(null, reason);
}
