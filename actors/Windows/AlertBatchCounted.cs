namespace TrafficActors.Windows;

/// <summary>Reply to <see cref="CountAlerts"/>, sent once the whole batch is durable: how each alert was taken.</summary>
public sealed record AlertBatchCounted(string WindowId, long Sequence, int Part, int Counted, int Duplicates, int Late);
