using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using TrafficActors.Outputs;
using TrafficActors.Settings;

namespace TrafficActors.Windows;

/// <summary>
/// The publisher of one window (sharded by window start, persisted): once a bucket of the window has closed, it
/// collects the final figures of all the window's buckets (a bucket that never counted answers empty; an open one
/// is asked again every watermark interval), merges them and produces one record to the windows topic with the
/// node's idempotent producer. It persists <see cref="WindowPublishing"/> before producing and
/// <see cref="WindowPublished"/> after the broker's acknowledgement; a published window ignores every later request.
/// A publisher restarted after a crash between the two (the record may or may not have reached the topic) reads the
/// topic for its key first and produces only if the record is not there, so each window is produced once.
/// When the window's buckets pass retention, they tell it to delete its record (<see cref="ForgetWindow"/>).
/// </summary>
public sealed class WindowPublisherActor : ReceivePersistentActor, IWithTimers
{
    /// <summary>Prefix of every publisher's persistence id (not under the buckets' <c>window-</c> prefix).</summary>
    public const string PersistencePrefix = "published-window-";

    /// <summary>Name of the sharding region of publishers; buckets reach it by this name.</summary>
    public const string RegionName = "window-publisher";

    private readonly string _windowId;
    private readonly WindowSettings _settings;
    private readonly KafkaOutputs _outputs;
    private readonly string _bucketRegion;
    private readonly bool _produce;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, WindowStats?> _answers = new(StringComparer.Ordinal);
    private bool _published;
    private bool _mayBeOnTopic;
    private PublishWindow? _request;
    private bool _producing;

    public WindowPublisherActor(string windowId, WindowSettings settings, KafkaOutputs outputs, string bucketRegion, bool produce)
    {
        _produce = produce;
        _windowId = windowId;
        _settings = settings;
        _outputs = outputs;
        _bucketRegion = bucketRegion;

        Recover<WindowPublishing>(_ => _mayBeOnTopic = true);
        Recover<WindowPublished>(_ => _published = true);
        Command<PublishWindow>(Start);
        Command<Retry>(_ => Collect());
        Command<ForgetWindow>(_ =>
        {
            // Stays published in memory: a request arriving before it stops is still ignored.
            _published = true;
            Timers.Cancel(nameof(Retry));
            DeleteMessages(long.MaxValue);
        });
        Command<DeleteMessagesSuccess>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
        Command<DeleteMessagesFailure>(f =>
        {
            _log.Warning("Window {0}: deleting its publication record failed: {1}", _windowId, f.Cause.Message);
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
        Command<FinalFigures>(OnFigures);
        Command<Delivered>(_ => MarkPublished());
        Command<AlreadyOnTopic>(_ =>
        {
            _log.Info("Window {0}: its record was already on the windows topic before a restart; not produced again", _windowId);
            MarkPublished();
        });
        Command<Status.Failure>(f =>
        {
            _producing = false;
            _log.Warning("Window {0}: producing its final figures failed ({1}); trying again", _windowId, f.Cause.GetBaseException().Message);
        });
    }

    public override string PersistenceId => PersistencePrefix + _windowId;

    /// <summary>
    /// The publishers' region on this node, by path: buckets run only where it is hosted, and on a system without it
    /// (a bucket under test) what is sent there is dropped.
    /// </summary>
    public static ActorSelection Region(ActorSystem system) => system.ActorSelection("/system/sharding/" + RegionName);

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="bucketRegion">Name of the sharding region of the window buckets.</param>
    /// <param name="produce">traffic.outputs.windows: off leaves every window unpublished (and produced later, when on).</param>
    public static Props Props(string windowId, WindowSettings settings, KafkaOutputs outputs, string bucketRegion, bool produce) =>
        Akka.Actor.Props.Create(() => new WindowPublisherActor(windowId, settings, outputs, bucketRegion, produce));

    private void Start(PublishWindow request)
    {
        if (_published || !_produce)
        {
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }

        if (_request is not null) return;
        _request = request;
        Timers.StartPeriodicTimer(nameof(Retry), Retry.Instance, _settings.WatermarkInterval);
        Collect();
    }

    private void Collect()
    {
        if (_request is null || _published || _producing) return;
        var region = ClusterSharding.Get(Context.System).ShardRegion(_bucketRegion);
        for (var b = 0; b < _settings.Buckets; b++)
        {
            var id = new WindowKey(_request.Start, b).EntityId;
            if (!_answers.ContainsKey(id)) region.Tell(new GetFinalFigures(id));
        }

        if (_answers.Count == _settings.Buckets) Produce();
    }

    private void OnFigures(FinalFigures figures)
    {
        if (_request is null || _published || _producing) return;
        _answers[figures.WindowId] = figures.Stats;
        if (_answers.Count == _settings.Buckets) Produce();
    }

    private void Produce()
    {
        var parts = _answers.Values.OfType<WindowStats>().ToArray();
        if (parts.Length == 0)
        {
            Self.Tell(Delivered.Instance);
            return;
        }

        _producing = true;
        var merged = parts.Aggregate((a, b) => a.Merge(b));
        var key = WindowResultJson.Key(_request!.Start);
        var json = WindowResultJson.Write(merged);
        if (_mayBeOnTopic)
        {
            var outputs = _outputs;
            var timeout = _settings.PublishCheckTimeout;
            Task.Run(async () =>
            {
                if (outputs.HasWindowRecord(key, timeout)) return (object)AlreadyOnTopic.Instance;
                await outputs.PublishWindow(key, json);
                return Delivered.Instance;
            }).ContinueWith(t => t.IsFaulted ? new Status.Failure(t.Exception!) : t.Result, TaskScheduler.Default).PipeTo(Self);
            return;
        }

        Persist(new WindowPublishing(_request.Start), _ =>
        {
            _mayBeOnTopic = true;
            _outputs.PublishWindow(key, json)
                .ContinueWith(t => t.IsFaulted ? new Status.Failure(t.Exception!) : (object)Delivered.Instance, TaskScheduler.Default)
                .PipeTo(Self);
        });
    }

    private void MarkPublished() => Persist(new WindowPublished(_request!.Start), _ =>
    {
        _published = true;
        Timers.Cancel(nameof(Retry));
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    });

    private sealed class AlreadyOnTopic
    {
        public static readonly AlreadyOnTopic Instance = new();
    }

    private sealed class Retry
    {
        public static readonly Retry Instance = new();
    }

    private sealed class Delivered
    {
        public static readonly Delivered Instance = new();
    }
}
