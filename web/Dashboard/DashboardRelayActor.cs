using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Microsoft.AspNetCore.SignalR;
using TrafficActors.Views;
using TrafficActors.Rules;
using TrafficActors.Settings;
using TrafficActors.Web.Api;
using TrafficActors.Windows;

namespace TrafficActors.Web.Dashboard;

/// <summary>
/// Relays the dashboard topic to SignalR on a web-role node. Window partials only mark the picture dirty; at most
/// once per push interval the relay reads the merged figures from <see cref="DashboardViewActor"/> (so pushes and
/// the HTTP API agree) and sends one update to every page. The next push is scheduled only after the previous one
/// was written, so a slow client or a burst of alerts never queues pushes up. A new rules version (or a rejected
/// document) on this node is pushed at the next tick rather than the next heartbeat, so pages name the version that
/// judges the alerts they show.
/// </summary>
public sealed class DashboardRelayActor : ReceiveActor, IWithTimers
{
    private const string TickKey = "push";
    private const string ShardsKey = "shards";
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly IActorRef _view;
    private readonly IActorRef _cars;
    private readonly IHubContext<TrafficHub> _hub;
    private readonly DashboardSettings _settings;
    private readonly WindowSettings _windows;
    private readonly PipelineMetricsSource _metrics;
    private readonly RuleSetStore _rules;
    private RulesStatus? _pushedRules;
    private bool _dirty = true;
    private DateTimeOffset _lastPush = DateTimeOffset.MinValue;
    private Dictionary<Address, (int Shards, int Cars)> _carsByNode = [];
    private readonly Dictionary<string, double> _rates = new(StringComparer.Ordinal);

    public DashboardRelayActor(IActorRef view, IActorRef cars, IHubContext<TrafficHub> hub, DashboardSettings settings, WindowSettings windows, PipelineMetricsSource metrics, RuleSetStore rules)
    {
        _view = view;
        _cars = cars;
        _hub = hub;
        _settings = settings;
        _windows = windows;
        _metrics = metrics;
        _rules = rules;
        Receive<SubscribeAck>(_ => { });
        Receive<WindowPartial>(_ => _dirty = true);
        Receive<WindowExpired>(_ => _dirty = true);
        Receive<NodeRate>(r => _rates[r.Node] = r.EventsPerSecond);
        // Sharding statistics ask every region in the cluster, so they are refreshed at the heartbeat, not per push.
        Receive<RefreshShards>(_ => _cars
            .Ask<ClusterShardingStats>(new GetClusterShardingStats(QueryTimeout), QueryTimeout + QueryTimeout)
            .PipeTo(Self));
        Receive<ClusterShardingStats>(s => _carsByNode = s.Regions.ToDictionary(r => r.Key, r => (r.Value.Stats.Count, r.Value.Stats.Values.Sum())));
        // A failed statistics query keeps the last figures; the next refresh tries again.
        Receive<Status.Failure>(_ => { });
        ReceiveAsync<PushTick>(async _ =>
        {
            try
            {
                // The store replaces its status on every swap or rejection, so a reference comparison notices both.
                if (_dirty || !ReferenceEquals(_rules.Status, _pushedRules) || DateTimeOffset.UtcNow - _lastPush >= _settings.HeartbeatInterval)
                {
                    _dirty = false;
                    await PushAsync();
                    _lastPush = DateTimeOffset.UtcNow;
                }
            }
            finally
            {
                Timers.StartSingleTimer(TickKey, PushTick.Instance, _settings.PushInterval);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef view, IActorRef cars, IHubContext<TrafficHub> hub, DashboardSettings settings, WindowSettings windows, PipelineMetricsSource metrics, RuleSetStore rules) =>
        Akka.Actor.Props.Create(() => new DashboardRelayActor(view, cars, hub, settings, windows, metrics, rules));

    protected override void PreStart()
    {
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        mediator.Tell(new Subscribe(WindowAggregatorActor.DashboardTopic, Self));
        mediator.Tell(new Subscribe(NodeRatePublisher.Topic, Self));
        Timers.StartSingleTimer(TickKey, PushTick.Instance, _settings.PushInterval);
        Self.Tell(RefreshShards.Instance);
        Timers.StartPeriodicTimer(ShardsKey, RefreshShards.Instance, _settings.HeartbeatInterval);
    }

    private async Task PushAsync()
    {
        var all = await _view.Ask<WindowsView>(new GetWindows(TrafficApi.MaxWindows), QueryTimeout);
        var recent = await _view.Ask<RecentAlertsView>(new GetRecentAlerts(_settings.LatestAlerts), QueryTimeout);
        var now = DateTimeOffset.UtcNow;
        var historyStart = WindowKey.StartOf(now - _settings.History, _windows.Length);
        var byRule = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var w in all.Windows)
        {
            foreach (var (rule, count) in w.ByRule) byRule[rule] = byRule.GetValueOrDefault(rule) + count;
        }

        var kpis = new DashboardKpis(
            all.Windows.Sum(w => w.Alerts),
            byRule.GetValueOrDefault(RuleNames.EngineStress),
            byRule,
            recent.Alerts.Count > 0 ? recent.Alerts[0].Sample.Speed : null,
            _metrics.Processed(),
            Math.Round(ClusterEventsPerSecond(), 1));
        var rules = _rules.Status;
        var update = new DashboardUpdate(
            now,
            all.Windows.Where(w => w.WindowStart >= historyStart).Select(WindowResponse.From).ToArray(),
            recent.Alerts,
            kpis,
            Members(),
            RulesInfo.From(rules));
        await _hub.Clients.All.SendAsync(TrafficHub.UpdateMethod, update);
        _pushedRules = rules;
    }

    /// <summary>
    /// This node's rate plus the latest one every other current member published: on a web-only node its own rate
    /// is 0, and operators want the cluster's.
    /// </summary>
    private double ClusterEventsPerSecond()
    {
        var cluster = Cluster.Get(Context.System);
        var others = cluster.State.Members
            .Where(m => !m.Address.Equals(cluster.SelfAddress))
            .Sum(m => _rates.TryGetValue(m.Address.ToString(), out var rate) ? rate : 0);
        return _metrics.EventsPerSecond() + others;
    }

    private DashboardMember[] Members()
    {
        var cluster = Cluster.Get(Context.System);
        return cluster.State.Members
            .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m =>
            {
                var self = m.Address.Equals(cluster.SelfAddress);
                var cars = _carsByNode.TryGetValue(m.Address, out var c) ? c : ((int Shards, int Cars)?)null;
                return new DashboardMember(
                    m.Address.ToString(), m.Roles.Order(StringComparer.Ordinal).ToArray(), m.Status.ToString(), self,
                    self ? Math.Round(_metrics.EventsPerSecond(), 1) : _rates.TryGetValue(m.Address.ToString(), out var rate) ? rate : null,
                    cars?.Shards, cars?.Cars);
            })
            .ToArray();
    }
}
