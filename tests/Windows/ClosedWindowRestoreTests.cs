using System.Data.Common;
using Akka.Actor;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TrafficActors.Views;
using TrafficActors.Metrics;
using TrafficActors.Persistence;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Windows;

/// <summary>
/// A window that closed (snapshot taken, journal deleted behind it) is still found and shown with its exact final
/// figures after the node restarts on the same database.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class ClosedWindowRestoreTests : IClassFixture<DurableWindowTests.Pg>
{
    // No periodic snapshot, so the only compaction is the closing one.
    private static readonly WindowSettings Settings = DurableWindowTests.Settings with
    {
        Length = TimeSpan.FromSeconds(3),
        AllowedLateness = TimeSpan.FromSeconds(1),
        SnapshotEvery = 1_000_000,
    };

    private readonly DurableWindowTests.Pg _pg;

    public ClosedWindowRestoreTests(DurableWindowTests.Pg pg) => _pg = pg;

    [Theory]
    [InlineData(PersistenceSettings.Sqlite)]
    [InlineData(PersistenceSettings.PostgreSql)]
    public async Task Closed_windows_come_back_with_their_final_figures_after_a_restart(string provider)
    {
        using var dir = new TempDir();
        var persistence = _pg.Persistence(provider);
        // Open while the alerts are counted (no watermark yet); it closes when the test moves the watermark past it.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var start = WindowKey.StartOf(clock.GetUtcNow(), Settings.Length);
        var ids = Enumerable.Range(0, Settings.Buckets).Select(b => new WindowKey(start, b).EntityId).ToArray();
        const int count = 400;
        CountAlert Alert(int i) => new(ids[i % ids.Length], start, Settings.Length,
            WindowStateTests.Alert($"c{i}", i % 4 == 0 ? "Red" : "Gray", 90 + (i % 60), 1 + (i % 6), 2000 + i, "engine_stress").At(start.AddMilliseconds(i)));

        var first = DurableWindowTests.StartSystem(persistence, dir.Path);
        try
        {
            var region = first.ActorOf(Props.Create(() => new DurableWindowTests.Forwarder(Settings, clock)), "windows");
            var acks = await Task.WhenAll(Enumerable.Range(0, count).Select(i => region.Ask<AlertCounted>(Alert(i), TimeSpan.FromSeconds(30))));
            Assert.All(acks, a => Assert.Equal(WindowDecision.Count, a.Decision));
            // The watermark passes the window's end plus its lateness: each bucket closes at its next check.
            NodeWatermark.Get(first).Advance(start + Settings.Length + Settings.AllowedLateness);
            // Closing snapshots every bucket and marks its whole journal deleted: the state the restore used to miss.
            await Poll.Until(
                async () => await CompactedBucketsAsync(persistence, dir.Path) == ids.Length,
                TimeSpan.FromSeconds(30), "every bucket to close and compact its journal");
        }
        finally
        {
            await first.Terminate();
        }

        var second = DurableWindowTests.StartSystem(persistence, dir.Path);
        try
        {
            var region = second.ActorOf(Props.Create(() => new DurableWindowTests.Forwarder(Settings, clock)), "windows");
            var view = second.ActorOf(DashboardViewActor.Props(Settings, 10));
            second.ActorOf(WindowRestorer.Props(region, Settings, new JournalDatabase(persistence, dir.Path), clock));

            WindowStats? merged = null;
            await Poll.Until(
                async () =>
                {
                    merged = (await view.Ask<WindowsView>(new GetWindows(5), TimeSpan.FromSeconds(5))).Windows.SingleOrDefault();
                    return merged?.Alerts == count;
                },
                TimeSpan.FromSeconds(20), () => $"the closed window with {count} alerts; last seen {merged?.Alerts}");

            Assert.Equal(start, merged!.WindowStart);
            Assert.Equal(count, merged.ByRule["engine_stress"]);
            Assert.Equal(Enumerable.Range(0, count).Count(i => i % 4 == 0), merged.ByColor["Red"]);
            Assert.Equal(Enumerable.Range(0, count).Count(i => i % 4 != 0), merged.ByColor["Gray"]);
            Assert.Equal(149, merged.MaxSpeed);
            Assert.Equal(6, merged.MaxGear);
            Assert.Equal(2000 + count - 1, merged.MaxRpm);
            Assert.Equal(0, merged.Late);

            // Still final: a redelivery after the restart is recognised, not counted again.
            var again = await region.Ask<AlertCounted>(Alert(7), TimeSpan.FromSeconds(30));
            Assert.Equal(WindowDecision.Duplicate, again.Decision);
        }
        finally
        {
            await second.Terminate();
        }
    }

    /// <summary>Window buckets with a snapshot and no journal row left that is not marked deleted.</summary>
    internal static async Task<int> CompactedBucketsAsync(PersistenceSettings persistence, string dataDir)
    {
        var cs = PersistenceHocon.ConnectionString(persistence, dataDir);
        await using DbConnection connection = persistence.Provider == PersistenceSettings.PostgreSql ? new NpgsqlConnection(cs) : new SqliteConnection(cs);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT COUNT(DISTINCT s.persistence_id) FROM snapshot s
            WHERE s.persistence_id LIKE 'window-%'
              AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.persistence_id = s.persistence_id AND NOT j.deleted)
            """;
        try
        {
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DbException)
        {
            // The snapshot table is created on the first snapshot.
            return 0;
        }
    }
}
