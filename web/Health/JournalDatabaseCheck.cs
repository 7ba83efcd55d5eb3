using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Persistence;
using TrafficActors.Settings;

namespace TrafficActors.Web.Health;

/// <summary>
/// <c>journal_database</c>: the database behind the window journal (SQLite or PostgreSQL) opens a connection and
/// answers <c>SELECT 1</c>. A small check on <see cref="JournalDatabase"/> rather than a packaged one: the
/// packaged PostgreSQL check does not cover SQLite, and this one connects exactly like the journal's own queries.
/// Akka.Persistence's journal health check does not fit either: it reports the plugin's circuit breaker, which
/// stays closed while nothing is written, whether the database answers or not.
/// </summary>
public sealed class JournalDatabaseCheck(JournalDatabase database, HealthSettings health, TimeProvider clock) : IHealthCheck
{
    public const string Name = "journal_database";

    private readonly CachedProbe _probe = new($"journal database ({database.Provider})", health.DatabaseTimeout, health.CacheFor, clock);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _probe.CheckAsync(async ct =>
        {
            var started = Stopwatch.GetTimestamp();
            await database.PingAsync(ct).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{database.Provider} answered in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
        }, cancellationToken);
}
