using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using TrafficActors.Views;
using TrafficActors.Metrics;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Web.Health;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

/// <summary>
/// The database going away: nothing is acknowledged that is not durable, the outage is logged once when it starts
/// and once when it ends, readiness and metrics show it, and the window ends up with every alert counted once.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class PostgresOutageTests
{
    private static readonly WindowSettings Settings = DurableWindowTests.Settings;

    [Fact]
    public async Task PostgreSQL_outage_is_reported_once_and_the_window_counts_every_alert_exactly_once_after_it()
    {
        using var pg = new PostgresServer();
        var persistence = new PersistenceSettings(PersistenceSettings.PostgreSql, pg.CreateDatabase("outage"));
        using var dir = new TempDir();
        var system = DurableWindowTests.StartSystem(persistence, dir.Path, "INFO");
        var logs = new ConcurrentQueue<LogEvent>();
        system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new LogCollector(logs))), typeof(LogEvent));
        var metrics = new PipelineMetrics();
        var readiness = new WindowJournalCheck(metrics.WindowJournal);
        try
        {
            var start = WindowKey.StartOf(DateTimeOffset.UtcNow, Settings.Length);
            var id = new WindowKey(start, 0).EntityId;
            CountAlert Alert(int i) => new(id, start, Settings.Length, WindowStateTests.Alert($"o{i}", "Red", 100 + i, 4, 3000, "overspeed"));
            var region = system.ActorOf(Props.Create(() => new DurableWindowTests.Forwarder(Settings, metrics)), "windows");
            var view = system.ActorOf(DashboardViewActor.Props(Settings, 10));
            var before = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => region.Ask<AlertCounted>(Alert(i), TimeSpan.FromSeconds(30))));
            Assert.All(before, a => Assert.Equal(WindowDecision.Count, a.Decision));
            Assert.True(await JournalCheckAsync(readiness));

            pg.Stop();
            // Not acknowledged while the database is down: the ingest stream would time out and redeliver, many times.
            for (var round = 0; round < 3; round++)
            {
                var during = Enumerable.Range(10, 10).Select(i => region.Ask<AlertCounted>(Alert(i), TimeSpan.FromSeconds(2))).ToArray();
                foreach (var ask in during) await Assert.ThrowsAnyAsync<Exception>(() => ask);
            }

            Assert.True(metrics.WindowJournal.InOutage);
            Assert.True(metrics.WindowJournal.Failures > 1, $"only {metrics.WindowJournal.Failures} failures seen");
            Assert.False(await JournalCheckAsync(readiness));
            pg.Start();

            // Kafka keeps redelivering until every alert is acknowledged.
            var pending = Enumerable.Range(10, 10).ToHashSet();
            await Poll.Until(
                async () =>
                {
                    foreach (var i in pending.ToArray())
                    {
                        try
                        {
                            var ok = await region.Ask<AlertCounted>(Alert(i), TimeSpan.FromSeconds(2));
                            Assert.NotEqual(WindowDecision.Late, ok.Decision);
                            pending.Remove(i);
                        }
                        catch (AskTimeoutException)
                        {
                            // Not durable yet; the next round asks again.
                        }
                    }

                    return pending.Count == 0;
                },
                TimeSpan.FromSeconds(60), "every alert of the outage to be acknowledged");

            Assert.False(metrics.WindowJournal.InOutage);
            Assert.True(await JournalCheckAsync(readiness));
            Assert.All(await Task.WhenAll(Enumerable.Range(0, 20).Select(i => region.Ask<AlertCounted>(Alert(i), TimeSpan.FromSeconds(10)))),
                a => Assert.Equal(WindowDecision.Duplicate, a.Decision));

            WindowStats? stats = null;
            await Poll.Until(
                async () =>
                {
                    stats = (await view.Ask<WindowsView>(new GetWindows(5), TimeSpan.FromSeconds(5))).Windows.SingleOrDefault();
                    return stats?.Alerts == 20;
                },
                TimeSpan.FromSeconds(20), $"the window to show 20 alerts; last seen {stats?.Alerts}");
            Assert.Equal(119, stats!.MaxSpeed);

            // Boring: one line when it started, one when it ended, no error (with its stack trace) per bucket and message.
            var lines = logs.Select(l => l.Message?.ToString() ?? "").ToArray();
            Assert.Single(lines, l => l.Contains("Window journal unavailable", StringComparison.Ordinal));
            Assert.Single(lines, l => l.Contains("Window journal available again", StringComparison.Ordinal));
            var errors = logs.Where(l => l.LogLevel() == LogLevel.ErrorLevel).Select(l => l.ToString()).ToArray();
            Assert.True(errors.Length == 0, "errors logged during the outage:\n" + string.Join("\n", errors.Take(5)));
        }
        finally
        {
            pg.Start();
            await system.Terminate();
        }
    }

    private static async Task<bool> JournalCheckAsync(WindowJournalCheck readiness) =>
        (await readiness.CheckHealthAsync(new HealthCheckContext())).Status == HealthStatus.Healthy;

    private sealed class LogCollector : ReceiveActor
    {
        public LogCollector(ConcurrentQueue<LogEvent> logs) => Receive<LogEvent>(logs.Enqueue);
    }
}
