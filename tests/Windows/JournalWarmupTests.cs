using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;
using TrafficActors.Persistence;
using TrafficActors.Settings;
using PersistenceSettings = TrafficActors.Settings.PersistenceSettings;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Windows;

/// <summary>The journal warm-up on real databases: it runs every kind of call, leaves nothing behind and fails loudly.</summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class JournalWarmupTests(DurableWindowTests.Pg pg, ITestOutputHelper output) : IClassFixture<DurableWindowTests.Pg>
{
    [Theory]
    [InlineData(PersistenceSettings.Sqlite)]
    [InlineData(PersistenceSettings.PostgreSql)]
    public async Task Leaves_no_event_and_no_snapshot_and_runs_again_after_a_restart(string provider)
    {
        using var dir = new TempDir();
        var persistence = pg.Persistence(provider);
        var id = JournalWarmup.PersistencePrefix + "node-a";

        // Twice, in two actor systems on the same database: a node restarted on the same address reuses its probe id.
        for (var run = 0; run < 2; run++)
        {
            var system = DurableWindowTests.StartSystem(persistence, dir.Path);
            try
            {
                var started = Stopwatch.GetTimestamp();
                await JournalWarmup.RunAsync(system, "node-a", TimeSpan.FromSeconds(30));
                output.WriteLine($"{provider} run {run}: warm-up took {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");

                var recovered = await system.ActorOf(Props.Create(() => new Recorder(id))).Ask<Recorder.Recovered>(Recorder.Report.Instance, TimeSpan.FromSeconds(10));
                Assert.Equal(0, recovered.Events);
                Assert.False(recovered.Snapshot);
                // Each run writes two events; their numbers stay taken after the delete, so ids never repeat.
                Assert.Equal(2 * (run + 1), recovered.LastSequenceNr);
            }
            finally
            {
                await system.Terminate();
            }
        }

        // Only the probe's own id was touched: no window bucket appears.
        var journal = new JournalDatabase(persistence, dir.Path);
        Assert.Empty(await journal.PersistenceIdsAsync(TrafficActors.Windows.WindowAggregatorActor.PersistencePrefix));
    }

    [Fact]
    public async Task Fails_with_an_error_when_the_database_cannot_be_reached()
    {
        using var dir = new TempDir();
        var unreachable = new PersistenceSettings(PersistenceSettings.PostgreSql, $"Host=127.0.0.1;Port={FreePorts.Next()};Username=nobody;Password=x;Database=none;Timeout=2");
        var system = DurableWindowTests.StartSystem(unreachable, dir.Path, "OFF");
        try
        {
            var started = Stopwatch.GetTimestamp();
            await Assert.ThrowsAnyAsync<Exception>(() => JournalWarmup.RunAsync(system, "node-b", TimeSpan.FromSeconds(5)));
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20), "the warm-up gives up within its timeout");
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Recovers a persistence id and reports what it found.</summary>
    private sealed class Recorder : ReceivePersistentActor
    {
        private readonly string _id;
        private int _events;
        private bool _snapshot;

        public Recorder(string id)
        {
            _id = id;
            Recover<SnapshotOffer>(_ => _snapshot = true);
            Recover<RecoveryCompleted>(_ => { });
            Recover<object>(_ => _events++);
            Command<Report>(_ => Sender.Tell(new Recovered(_events, _snapshot, LastSequenceNr)));
        }

        public override string PersistenceId => _id;

        public sealed record Recovered(int Events, bool Snapshot, long LastSequenceNr);

        public sealed class Report
        {
            public static readonly Report Instance = new();
        }
    }
}
