using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using TrafficActors.Settings;
using TrafficActors.Domain;
using TrafficActors.Management;

namespace TrafficActors.Windows;

/// <summary>
/// One bucket of one event-time window. A thin shell around <see cref="WindowState"/>: it counts, acknowledges,
/// and publishes its figures to the dashboard topic at most once per publish interval.
/// </summary>
public sealed class WindowAggregatorActor : ReceiveActor, IWithTimers
{
    /// <summary>DistributedPubSub topic the web role listens on.</summary>
    public const string DashboardTopic = "dashboard";

    private readonly string _windowId;
    private readonly WindowSettings _settings;
    private readonly PipelineMetrics _metrics;
    private readonly IActorRef _mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SortedSet<Alert> _recent = new(NewestFirst.Instance);
    private WindowState? _state;
    private bool _dirty;

    public WindowAggregatorActor(string windowId, WindowSettings settings, PipelineMetrics metrics)
    {
        _windowId = windowId;
        _settings = settings;
        _metrics = metrics;
        _mediator = DistributedPubSub.Get(Context.System).Mediator;

        Receive<CountAlert>(Count);
        Receive<PublishTick>(_ => Publish());
        Receive<RetentionExpired>(_ =>
        {
            _log.Debug("Window {0} passed retention, stopping", _windowId);
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string windowId, WindowSettings settings, PipelineMetrics metrics) =>
        Akka.Actor.Props.Create(() => new WindowAggregatorActor(windowId, settings, metrics));

    private void Count(CountAlert msg)
    {
        if (_state is null)
        {
            _state = new WindowState(msg.WindowStart, msg.WindowLength);
            var expiresIn = _state.End + _settings.Retention - DateTimeOffset.UtcNow;
            Timers.StartSingleTimer(nameof(RetentionExpired), RetentionExpired.Instance, expiresIn > TimeSpan.Zero ? expiresIn : TimeSpan.Zero);
            Timers.StartPeriodicTimer(nameof(PublishTick), PublishTick.Instance, _settings.PublishInterval);
        }

        var counted = _state.Apply(msg.Alert);
        if (counted)
        {
            _dirty = true;
            // Newest by event time, not by arrival: partitions are consumed at different paces.
            _recent.Add(msg.Alert);
            if (_recent.Count > _settings.RecentAlerts) _recent.Remove(_recent.Max!);
        }
        else
        {
            _metrics.OnWindowDuplicate();
        }

        Sender.Tell(new AlertCounted(msg.Alert.EventId, !counted));
    }

    private void Publish()
    {
        if (!_dirty || _state is null) return;
        _dirty = false;
        _mediator.Tell(new Publish(DashboardTopic, new WindowPartial(_windowId, _state.ToStats(), _recent.ToArray())));
    }

    private sealed class NewestFirst : IComparer<Alert>
    {
        public static readonly NewestFirst Instance = new();

        public int Compare(Alert? x, Alert? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return 1;
            if (y is null) return -1;
            var byTime = y.EventTime.CompareTo(x.EventTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.EventId, y.EventId);
        }
    }

    private sealed class PublishTick
    {
        public static readonly PublishTick Instance = new();
    }

    private sealed class RetentionExpired
    {
        public static readonly RetentionExpired Instance = new();
    }
}
