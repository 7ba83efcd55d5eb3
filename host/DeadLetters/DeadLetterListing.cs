using TrafficActors.DeadLetters;

namespace TrafficActors.Host.DeadLetters;

/// <summary>What <see cref="DeadLetterReader"/> found.</summary>
/// <param name="Letters">The newest matching dead letters, oldest first.</param>
/// <param name="Matched">Records read that matched the query (more than listed when there were over --last).</param>
/// <param name="Read">Records read from the topic.</param>
/// <param name="OnTopic">Records the topic holds over all partitions.</param>
public sealed record DeadLetterListing(IReadOnlyList<DeadLetter> Letters, long Matched, long Read, long OnTopic, int Partitions);
