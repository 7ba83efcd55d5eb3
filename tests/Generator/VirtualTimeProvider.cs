namespace TrafficActors.Tests.Generator;

/// <summary>
/// A clock that only moves when something waits on it: each timer jumps the clock to its deadline and fires. A
/// paced run of many virtual seconds therefore finishes in milliseconds, with exact timings to assert on.
/// </summary>
internal sealed class VirtualTimeProvider : TimeProvider
{
    private readonly DateTimeOffset _origin;
    private long _ticks;

    public VirtualTimeProvider(DateTimeOffset origin) => _origin = origin;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => _origin.AddTicks(GetTimestamp());

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Advance(dueTime);
            // Fired later, never inline: Task.Delay stores the timer only after CreateTimer returns.
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        }

        return new InertTimer();
    }
}
