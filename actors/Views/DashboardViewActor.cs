using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using TrafficActors.Settings;
using TrafficActors.Domain;
using TrafficActors.Windows;

namespace TrafficActors.Views;

/// <summary>
/// The web role's read model: subscribes to the dashboard topic, keeps the latest partial of every window bucket
/// and merges buckets on read. Only this actor touches its dictionaries, so reads need no locks.
/// </summary>
public sealed class DashboardViewActor : ReceiveActor
{
    private readonly WindowSettings _settings;
    private readonly Dictionary<string, WindowPartial> _partials = new(StringComparer.Ordinal);
    private readonly int _maxRecent;

    public DashboardViewActor(WindowSettings settings, int maxRecent)
    {
        _settings = settings;
        _maxRecent = maxRecent;
        Receive<SubscribeAck>(_ => { });
        Receive<WindowPartial>(Keep);
        Receive<WindowExpired>(e => _partials.Remove(e.WindowId));
        Receive<GetWindows>(q => Sender.Tell(new WindowsView(Merged(q.Last, q.Size ?? _settings.Length))));
        Receive<GetRecentAlerts>(q => Sender.Tell(new RecentAlertsView(Recent(q.Limit))));
    }

    /// <summary>
    /// A bucket's counts only grow, so the partial with more alerts is the newer one. Partials of a bucket that moved
    /// between nodes travel on different connections and can arrive out of order; an older one must not win.
    /// </summary>
    private void Keep(WindowPartial p)
    {
        if (_partials.TryGetValue(p.WindowId, out var held) && Total(held.Stats) > Total(p.Stats)) return;
        _partials[p.WindowId] = p;
    }

    private static long Total(WindowStats s) => s.Alerts + s.Late;

    public static Props Props(WindowSettings settings, int maxRecent) =>
        Akka.Actor.Props.Create(() => new DashboardViewActor(settings, maxRecent));

    protected override void PreStart() =>
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(WindowAggregatorActor.DashboardTopic, Self));

    /// <summary>
    /// Buckets of one window merge into one; with a roll-up size (a multiple of the window length, e.g. the seed's
    /// 15 minutes) consecutive windows merge into one row spanning the larger period.
    /// </summary>
    private IReadOnlyList<WindowStats> Merged(int last, TimeSpan size)
    {
        Evict();
        return _partials.Values
            .GroupBy(p => WindowKey.StartOf(p.Stats.WindowStart, size))
            .OrderByDescending(g => g.Key)
            .Take(Math.Max(0, last))
            .Select(g => g.Select(p => p.Stats).Aggregate((a, b) => a.Merge(b)) with { WindowStart = g.Key, WindowEnd = g.Key + size })
            .ToArray();
    }

    private IReadOnlyList<Alert> Recent(int limit) =>
        _partials.Values
            .SelectMany(p => p.RecentAlerts)
            .OrderByDescending(a => a.Sample.EventTime)
            .ThenBy(a => a.Sample.EventId, StringComparer.Ordinal)
            .Take(Math.Clamp(limit, 0, _maxRecent))
            .ToArray();

    private void Evict()
    {
        var horizon = DateTimeOffset.UtcNow - _settings.Retention;
        foreach (var id in _partials.Where(kv => kv.Value.Stats.WindowEnd < horizon).Select(kv => kv.Key).ToArray())
            _partials.Remove(id);
    }
}
