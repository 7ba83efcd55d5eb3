namespace TrafficActors.Tests.Generator;

/// <summary>The timer handed out by <see cref="VirtualTimeProvider"/>; its callback has already been scheduled.</summary>
internal sealed class InertTimer : ITimer
{
    public bool Change(TimeSpan dueTime, TimeSpan period) => true;

    public void Dispose()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
