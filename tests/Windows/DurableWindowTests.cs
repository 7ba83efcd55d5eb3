using Akka.Actor;
using Akka.Cluster;
using TrafficActors.Views;
using TrafficActors.Metrics;
using TrafficActors.Persistence;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

/// <summary>Window buckets on a real database: what was acknowledged survives an ungraceful stop, exactly.</summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class DurableWindowTests : IClassFixture<DurableWindowTests.Pg>
{
    internal static readonly WindowSettings Settings = new(
        TimeSpan.FromMinutes(1), 4, 10, TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(24), 5,
        TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), 500, 3, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2),
        TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));

    private readonly Pg _pg;

    public DurableWindowTests(Pg pg) => _pg = pg;

    public sealed class Pg : IDisposable
    {
        private readonly Lazy<PostgresServer> _server = new(() => new PostgresServer());

        public PostgresServer Server => _server.Value;

        /// <summary>Settings for a fresh database of <paramref name="provider"/>: a new PostgreSQL database each call, or SQLite in the test's data directory.</summary>
        public PersistenceSettings Persistence(string provider) => provider == PersistenceSettings.Sqlite
            ? new PersistenceSettings(provider, "")
            : new PersistenceSettings(provider, Server.CreateDatabase("w" + Guid.NewGuid().ToString("N")[..12]));

        public void Dispose()
        {
            if (_server.IsValueCreated) _server.Value.Dispose();
        }
    }

    internal static ActorSystem StartSystem(PersistenceSettings persistence, string dataDir) => StartSystem(persistence, dataDir, "WARNING");

    internal static ActorSystem StartSystem(PersistenceSettings persistence, string dataDir, string logLevel)
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString(PersistenceHocon.Build(persistence, dataDir) + $$"""

            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.loglevel = {{logLevel}}
            """).WithFallback(TrafficConfig.Load());
        PersistenceHocon.PrepareSqlite(persistence, dataDir);
        var system = ActorSystem.Create("durable", config);
        var cluster = Cluster.Get(system);
        cluster.Join(cluster.SelfAddress);
        return system;
    }

    [Theory]
    [InlineData(PersistenceSettings.Sqlite)]
    [InlineData(PersistenceSettings.PostgreSql)]
    public async Task Acknowledged_alerts_survive_an_ungraceful_stop_and_redeliveries_do_not_double_count(string provider)
    {
        using var dir = new TempDir();
        var persistence = _pg.Persistence(provider);
        var start = WindowKey.StartOf(DateTimeOffset.UtcNow, Settings.Length);
        var ids = Enumerable.Range(0, 4).Select(b => new WindowKey(start, b).EntityId).ToArray();
        CountAlert Alert(int i) => new(ids[i % 4], start, Settings.Length,
            WindowStateTests.Alert($"a{i}", i % 3 == 0 ? "Red" : "Blue", 100 + (i % 50), 1 + (i % 7), 3000 + i, "overspeed").At(start.AddSeconds(i % 60)));

        var first = StartSystem(persistence, dir.Path);
        var aggs = ids.Select(id => first.ActorOf(WindowAggregatorActor.Props(id, Settings, new PipelineMetrics()))).ToArray();
        var acks = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => aggs[i % 4].Ask<AlertCounted>(Alert(i), TimeSpan.FromSeconds(30))));
        Assert.All(acks, a => Assert.Equal(WindowDecision.Count, a.Decision));
        // Ungraceful: no passivation, no final snapshot, the system just goes away.
        await first.Terminate();

        var second = StartSystem(persistence, dir.Path);
        try
        {
            var region = second.ActorOf(Props.Create(() => new Forwarder(Settings)), "windows");
            var view = second.ActorOf(DashboardViewActor.Props(Settings, 10));
            second.ActorOf(WindowRestorer.Props(region, Settings, new JournalDatabase(persistence, dir.Path)));

            WindowStats? merged = null;
            await Poll.Until(
                async () =>
                {
                    merged = (await view.Ask<WindowsView>(new GetWindows(5), TimeSpan.FromSeconds(5))).Windows.SingleOrDefault();
                    return merged?.Alerts == 2000;
                },
                TimeSpan.FromSeconds(20), () => $"the restored window with 2000 alerts; last seen {merged?.Alerts}", TimeSpan.FromMilliseconds(100));

            Assert.NotNull(merged);
            Assert.Equal(2000, merged.Alerts);
            Assert.Equal(2000, merged.ByRule["overspeed"]);
            Assert.Equal(Enumerable.Range(0, 2000).Count(i => i % 3 == 0), merged.ByColor["Red"]);
            Assert.Equal(149, merged.MaxSpeed);
            Assert.Equal(7, merged.MaxGear);
            Assert.Equal(4999, merged.MaxRpm);

            // Kafka redelivers after the crash: every one is recognised.
            var again = await Task.WhenAll(Enumerable.Range(1500, 600).Select(i => region.Ask<AlertCounted>(Alert(i), TimeSpan.FromSeconds(30))));
            Assert.Equal(500, again.Count(a => a.Decision == WindowDecision.Duplicate));
            Assert.Equal(100, again.Count(a => a.Decision == WindowDecision.Count));
        }
        finally
        {
            await second.Terminate();
        }
    }

    /// <summary>Stands in for the shard region: one child per window id, restarted if it stops.</summary>
    internal sealed class Forwarder : ReceiveActor
    {
        public Forwarder(WindowSettings settings)
            : this(settings, new PipelineMetrics())
        {
        }

        public Forwarder(WindowSettings settings, PipelineMetrics metrics)
            : this(settings, metrics, TimeProvider.System)
        {
        }

        public Forwarder(WindowSettings settings, TimeProvider time)
            : this(settings, new PipelineMetrics(), time)
        {
        }

        public Forwarder(WindowSettings settings, PipelineMetrics metrics, TimeProvider time)
        {
            ReceiveAny(m =>
            {
                if (m is not IWindowMessage w) return;
                var child = Context.Child(Uri.EscapeDataString(w.WindowId));
                if (child.IsNobody()) child = Context.ActorOf(WindowAggregatorActor.Props(w.WindowId, settings, metrics, time), Uri.EscapeDataString(w.WindowId));
                child.Forward(m);
            });
        }
    }
}
