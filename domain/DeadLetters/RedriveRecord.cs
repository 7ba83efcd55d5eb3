namespace TrafficActors.DeadLetters;

/// <summary>A corrected raw event from a redrive file: its line, its car (the record key) and the line's bytes to send as they are.</summary>
public sealed record RedriveRecord(int Line, long CarId, byte[] Value);
