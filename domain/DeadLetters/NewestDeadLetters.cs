namespace TrafficActors.DeadLetters;

/// <summary>
/// Keeps the newest dead letters offered to it, at most <c>capacity</c>, ordered by time and then by partition and
/// offset, so memory stays bounded however many records the partitions hold.
/// </summary>
public sealed class NewestDeadLetters
{
    private readonly int _capacity;
    private readonly PriorityQueue<DeadLetter, (long Ticks, int Partition, long Offset)> _oldestFirst = new();

    public NewestDeadLetters(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>How many records were offered, kept or not.</summary>
    public long Offered { get; private set; }

    public void Add(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        Offered++;
        var order = Order(letter);
        if (_oldestFirst.Count < _capacity) _oldestFirst.Enqueue(letter, order);
        else if (_oldestFirst.TryPeek(out _, out var oldest) && order.CompareTo(oldest) > 0) _oldestFirst.DequeueEnqueue(letter, order);
    }

    /// <summary>The kept records, oldest first (the newest last, where a reader of a terminal looks).</summary>
    public IReadOnlyList<DeadLetter> OldestFirst() =>
        _oldestFirst.UnorderedItems.OrderBy(i => i.Priority).Select(i => i.Element).ToList();

    // A record without a timestamp sorts before every stamped one: nothing says it is recent.
    private static (long, int, long) Order(DeadLetter d) => (d.Time?.UtcTicks ?? long.MinValue, d.Partition, d.Offset);
}
