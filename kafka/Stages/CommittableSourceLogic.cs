using Akka.Streams;
using Akka.Streams.Stage;

namespace TrafficActors.Kafka;

/// <summary>
/// Reads what the polling thread of a <see cref="ConsumerRunner"/> put in its channel and pushes it as
/// <typeparamref name="T"/>: one message, or everything waiting up to a bound (see the two source stages).
/// </summary>
internal sealed class CommittableSourceLogic<T> : OutGraphStageLogic
    where T : class
{
    private readonly Outlet<T> _out;
    private readonly ConsumerRunner _runner;
    private readonly Func<ConsumerRunner, T?> _take;
    private readonly Action<Task<bool>> _onReadable;
    private bool _waiting;

    /// <param name="take">Takes the next element from the runner's channel, or null when nothing is waiting.</param>
    public CommittableSourceLogic(SourceShape<T> shape, ConsumerRunner runner, Func<ConsumerRunner, T?> take)
        : base(shape)
    {
        _out = shape.Outlet;
        _runner = runner;
        _take = take;
        _onReadable = GetAsyncCallback<Task<bool>>(OnReadable);
        SetHandler(_out, this);
    }

    public override void PreStart() => _runner.Start(Log);

    public override void OnPull() => TryPush();

    public override void OnDownstreamFinish(Exception cause)
    {
        _ = _runner.Shutdown();
        base.OnDownstreamFinish(cause);
    }

    public override void PostStop()
    {
        // After StopFetching the consumer must outlive the stream so in-flight offsets can still be committed;
        // the owner ends it with Shutdown/DrainAndShutdown. Any other end of the stream ends the consumer.
        if (!_runner.FetchingStopped)
        {
            _ = _runner.Shutdown();
        }
    }

    private void TryPush()
    {
        if (_runner.FetchingStopped)
        {
            // A faulted consumer with nothing left to read fails the stage through the channel's completion.
            if (_runner.Reader.TryPeek(out _) || !_runner.Stopped.IsFaulted) CompleteStage();
            else WaitForData();
            return;
        }

        if (_take(_runner) is { } element)
        {
            Push(_out, element);
            return;
        }

        WaitForData();
    }

    private void WaitForData()
    {
        if (_waiting) return;
        _waiting = true;
        var wait = _runner.Reader.WaitToReadAsync().AsTask();
        if (wait.IsCompleted)
        {
            OnReadable(wait);
        }
        else
        {
            wait.ContinueWith(_onReadable, TaskContinuationOptions.ExecuteSynchronously);
        }
    }

    private void OnReadable(Task<bool> wait)
    {
        _waiting = false;
        if (wait.IsFaulted)
        {
            FailStage(wait.Exception!.GetBaseException());
        }
        else if (wait.IsCanceled || !wait.Result)
        {
            var completion = _runner.Reader.Completion;
            if (completion.IsFaulted)
            {
                FailStage(completion.Exception!.GetBaseException());
            }
            else
            {
                CompleteStage();
            }
        }
        else if (IsAvailable(_out))
        {
            TryPush();
        }
    }
}
