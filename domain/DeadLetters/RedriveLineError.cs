namespace TrafficActors.DeadLetters;

/// <summary>Why one line of a redrive file cannot be sent.</summary>
public sealed record RedriveLineError(int Line, string Reason)
{
    /// <summary>The compiler-style form operators' editors jump to: <c>file:line: reason</c>.</summary>
    public string Describe(string fileName) => $"{fileName}:{Line}: {Reason}";
}
