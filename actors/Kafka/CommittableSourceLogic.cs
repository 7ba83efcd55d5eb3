using Akka.Streams.Stage;

namespace TrafficActors.Kafka;

internal sealed class CommittableSourceLogic : OutGraphStageLogic
{
    private readonly CommittableSourceStage _stage;
    private readonly ConsumerRunner _runner;
    private readonly Action<Task<bool>> _onReadable;
    private bool _waiting;

    public CommittableSourceLogic(CommittableSourceStage stage, ConsumerRunner runner)
        : base(stage.Shape)
    {
        _stage = stage;
        _runner = runner;
        _onReadable = GetAsyncCallback<Task<bool>>(OnReadable);
        SetHandler(stage.Out, this);
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
        var reader = _runner.Reader;
        while (reader.TryRead(out var polled))
        {
            if (_runner.FetchingStopped)
            {
                CompleteStage();
                return;
            }

            if (_runner.Emit(polled) is { } message)
            {
                Push(_stage.Out, message);
                return;
            }
        }

        if (_runner.FetchingStopped && !_runner.Stopped.IsFaulted)
        {
            CompleteStage();
            return;
        }

        if (!_waiting)
        {
            _waiting = true;
            var wait = reader.WaitToReadAsync().AsTask();
            if (wait.IsCompleted)
            {
                OnReadable(wait);
            }
            else
            {
                wait.ContinueWith(_onReadable, TaskContinuationOptions.ExecuteSynchronously);
            }
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
        else if (IsAvailable(_stage.Out))
        {
            TryPush();
        }
    }
}
