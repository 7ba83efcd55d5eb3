using System.Text.Json;
using TrafficActors.Domain;

namespace TrafficActors.Settings;

/// <summary>
/// Builds the Akka.Persistence.Sql journal and snapshot-store configuration from
/// <see cref="PersistenceSettings"/>. Generated rather than written in hocon/ because the connection string may
/// hold a password that must only come from the environment.
/// </summary>
public static class PersistenceHocon
{
    public const string SqliteFile = "traffic.db";

    public static string ConnectionString(PersistenceSettings p, string dataDir) =>
        p.ConnectionString.Length > 0
            ? p.ConnectionString
            : p.Provider == PersistenceSettings.Sqlite
                ? $"Data Source={Path.GetFullPath(Path.Combine(dataDir, SqliteFile))};Pooling=true"
                : throw new InvalidOperationException("traffic.persistence.connection-string (TRAFFIC_DB_CONNECTION) is required for PostgreSQL");

    public static string ProviderName(PersistenceSettings p) => p.Provider switch
    {
        PersistenceSettings.Sqlite => "SQLite.MS",
        PersistenceSettings.PostgreSql => "PostgreSQL.15",
        _ => throw new InvalidOperationException($"traffic.persistence.provider '{p.Provider}' is not sqlite or postgresql"),
    };

    public static string Build(PersistenceSettings p, string dataDir)
    {
        var cs = JsonSerializer.Serialize(ConnectionString(p, dataDir), TrafficJson.Default.String);
        var provider = ProviderName(p);
        return $$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = {{cs}}
                  provider-name = "{{provider}}"
                  auto-initialize = on
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = {{cs}}
                  provider-name = "{{provider}}"
                  auto-initialize = on
                }
              }
            }
            """;
    }

    /// <summary>
    /// SQLite: switch the file to write-ahead logging once (the mode is stored in the file), so readers never
    /// block the journal's writer and a commit is one sequential append.
    /// </summary>
    public static void PrepareSqlite(PersistenceSettings p, string dataDir)
    {
        if (p.Provider != PersistenceSettings.Sqlite) return;
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString(p, dataDir));
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;";
        cmd.ExecuteNonQuery();
    }
}
