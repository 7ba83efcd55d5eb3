namespace TrafficActors.Host.DeadLetters;

/// <summary>What became of the records <see cref="DeadLetterRedriver"/> sent.</summary>
/// <param name="FirstError">The first delivery error, as librdkafka words it; null when all were delivered.</param>
public sealed record RedriveOutcome(int Sent, int Delivered, int Failed, string? FirstError);
