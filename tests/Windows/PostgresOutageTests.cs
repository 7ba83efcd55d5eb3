using Akka.Actor;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

/// <summary>The database going away: nothing is acknowledged that is not durable, and writes resume on their own.</summary>
public sealed class PostgresOutageTests
{
    private static readonly WindowSettings Settings = DurableWindowTests.Settings;

    [Fact]
    public async Task PostgreSQL_outage_fails_the_write_and_the_window_recovers_once_the_database_is_back()
    {
        using var pg = new PostgresServer();
        var persistence = new PersistenceSettings(PersistenceSettings.PostgreSql, pg.CreateDatabase("outage"));
        using var dir = new TempDir();
        var system = DurableWindowTests.StartSystem(persistence, dir.Path);
        try
        {
            var start = WindowKey.StartOf(DateTimeOffset.UtcNow, Settings.Length);
            var id = new WindowKey(start, 0).EntityId;
            CountAlert Alert(int i) => new(id, start, Settings.Length, WindowStateTests.Alert($"o{i}", "Red", 130, 4, 3000, "overspeed"));
            var region = system.ActorOf(Props.Create(() => new DurableWindowTests.Forwarder(Settings)), "windows");
            Assert.Equal(WindowDecision.Count, (await region.Ask<AlertCounted>(Alert(0), TimeSpan.FromSeconds(30))).Decision);

            pg.Stop();
            // Not acknowledged while the database is down: the ingest stream would time out and redeliver.
            await Assert.ThrowsAnyAsync<Exception>(() => region.Ask<AlertCounted>(Alert(1), TimeSpan.FromSeconds(3)));
            pg.Start();

            AlertCounted? ok = null;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (ok is null && DateTime.UtcNow < deadline)
            {
                try
                {
                    ok = await region.Ask<AlertCounted>(Alert(1), TimeSpan.FromSeconds(3));
                }
                catch (AskTimeoutException)
                {
                    // The journal reconnects on its own; keep redelivering like Kafka would.
                }
            }

            Assert.NotNull(ok);
            Assert.NotEqual(WindowDecision.Late, ok.Decision);
            Assert.Equal(WindowDecision.Duplicate, (await region.Ask<AlertCounted>(Alert(0), TimeSpan.FromSeconds(10))).Decision);
        }
        finally
        {
            pg.Start();
            await system.Terminate();
        }
    }

}
