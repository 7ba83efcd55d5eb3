using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using TrafficActors.Cars;
using TrafficActors.Settings;
using TrafficActors.Domain;
using TrafficActors.Kafka;
using TrafficActors.Metrics;

namespace TrafficActors.Ingest;

/// <summary>
/// Runs the node's ingest stream: <c>raw-data</c> in batches → parse → car actors (or dead-letter topic) → window
/// buckets → offsets marked processed. At-least-once: an offset is only stored after its event's outputs are
/// acknowledged and its alert is durably counted; any failure restarts the stream with back-off from the last
/// committed offsets. On shutdown the stream is drained.
/// </summary>
public sealed class IngestActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IngestStreamContext _ctx;
    private volatile IConsumerControl? _control;
    private UniqueKillSwitch? _killSwitch;

    public IngestActor(IngestStreamContext ctx)
    {
        _ctx = ctx;
        ReceiveAsync<Drain>(async _ =>
        {
            var sender = Sender;
            await DrainAsync();
            sender.Tell(Drained.Instance);
        });
        Receive<GetIngestStatus>(_ => Sender.Tell(new IngestStatus(_control is not null, _control?.Assignment ?? [], _control?.Metrics)));
        Receive<ReferenceCheck>(_ => StartWhenReady());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IngestStreamContext ctx) => Akka.Actor.Props.Create(() => new IngestActor(ctx));

    protected override void PreStart() => StartWhenReady();

    /// <summary>
    /// Consuming before any reference version is loaded would enrich every event as an unknown car, and before the
    /// rules source was looked at would judge events by the HOCON defaults while a rules document is in force; so the
    /// stream (and with it the consumer group membership) starts only once the node has both.
    /// </summary>
    private void StartWhenReady()
    {
        if (_killSwitch is not null) return;
        if (!_ctx.Reference.IsLoaded || !_ctx.Rules.IsSettled)
        {
            if (!Timers.IsTimerActive(nameof(ReferenceCheck)))
            {
                _log.Info("Ingest waiting for {0} before consuming", _ctx.Reference.IsLoaded ? "the rules" : "reference data");
                Timers.StartPeriodicTimer(nameof(ReferenceCheck), ReferenceCheck.Instance, _ctx.Settings.Ingest.ReferenceCheckInterval);
            }

            return;
        }

        Timers.Cancel(nameof(ReferenceCheck));
        StartStream();
    }

    private void StartStream()
    {
        var s = _ctx.Settings;
        var restart = RestartSettings.Create(s.Ingest.RestartMinBackoff, s.Ingest.RestartMaxBackoff, s.Ingest.RestartRandomFactor);
        var consumerSettings = _ctx.ConsumerSettings;
        var topics = new[] { s.Kafka.RawTopic };
        _log.Info("Ingest stream starting: topic {0}, group {1}, parallelism {2}, batches of up to {3}", s.Kafka.RawTopic, consumerSettings.GroupId, s.Ingest.Parallelism, s.Ingest.MaxBatch);

        var source = RestartSource.OnFailuresWithBackoff(
            () => KafkaConsumer.CommittableBatchSource(consumerSettings, topics, s.Ingest.MaxBatch)
                .MapMaterializedValue(control =>
                {
                    _control = control;
                    _ctx.Metrics.AttachIngest(control);
                    return NotUsed.Instance;
                })
                .Via(new CarDispatchStage(_ctx, Assignment))
                .Select(offsets =>
                {
                    foreach (var offset in offsets) offset.MarkProcessed();
                    return NotUsed.Instance;
                }),
            restart);

        _killSwitch = source
            .ViaMaterialized(KillSwitches.Single<NotUsed>(), Keep.Right)
            .To(Sink.Ignore<NotUsed>())
            .Run(Context.System.Materializer());
    }

    private IReadOnlyList<int> Assignment()
    {
        var raw = _ctx.Settings.Kafka.RawTopic;
        return _control?.Assignment.Where(tp => tp.Topic == raw).Select(tp => tp.Partition.Value).ToArray() ?? [];
    }

    protected override void PostStop()
    {
        _killSwitch?.Shutdown();
        base.PostStop();
    }

    private async Task DrainAsync()
    {
        if (_control is { } control)
        {
            _log.Info("Ingest draining: no new fetches, finishing in-flight events, committing offsets");
            try
            {
                await control.DrainAndShutdown(_ctx.Settings.Ingest.DrainTimeout).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _log.Warning("Ingest drain ended with {0}: {1}", ex.GetType().Name, ex.Message);
            }
        }

        _killSwitch?.Shutdown();
        _log.Info("Ingest stopped");
    }

    private sealed class ReferenceCheck
    {
        public static readonly ReferenceCheck Instance = new();
    }

    /// <summary>Stop fetching, finish in-flight events, commit; answered with <see cref="Drained"/>.</summary>
    public sealed class Drain
    {
        public static readonly Drain Instance = new();
    }

    /// <summary>Reply to <see cref="Drain"/>.</summary>
    public sealed class Drained
    {
        public static readonly Drained Instance = new();
    }
}
