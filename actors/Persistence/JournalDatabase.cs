using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TrafficActors.Settings;

namespace TrafficActors.Persistence;

/// <summary>
/// Plain SQL against the database behind the Akka.Persistence.Sql journal, for what the plugin's API cannot answer:
/// which persistence ids exist whatever their compaction state, and which database this is.
/// </summary>
public sealed class JournalDatabase
{
    /// <summary>Our own one-row table holding the identity of this journal database.</summary>
    public const string IdentityTable = "traffic_journal_identity";

    // The plugin's default table mapping: the journal (deleted rows stay as markers) and the snapshot store.
    private static readonly string[] PersistenceTables = ["journal", "snapshot"];

    private readonly string _provider;
    private readonly string _connectionString;

    public JournalDatabase(PersistenceSettings settings, string dataDir)
    {
        _provider = settings.Provider;
        _connectionString = PersistenceHocon.ConnectionString(settings, dataDir);
    }

    /// <summary>
    /// Every persistence id starting with <paramref name="prefix"/> that has a journal row (deleted marker rows
    /// included) or a snapshot. The read journal's <c>CurrentPersistenceIds</c> skips ids whose rows are all marked
    /// deleted, which is every compacted window bucket.
    /// </summary>
    public async Task<IReadOnlyList<string>> PersistenceIdsAsync(string prefix, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in PersistenceTables)
        {
            // Tables are created by the plugin on first use: none yet means nothing was persisted.
            if (!await TableExistsAsync(connection, table, ct)) continue;
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT DISTINCT persistence_id FROM {table} WHERE persistence_id LIKE @prefix";
            AddParameter(cmd, "prefix", prefix + "%");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                // LIKE treats '_' in the prefix as a wildcard: keep only real matches.
                var id = reader.GetString(0);
                if (id.StartsWith(prefix, StringComparison.Ordinal)) ids.Add(id);
            }
        }

        return ids.ToArray();
    }

    /// <summary>
    /// The identity stored in this database, created on first call; concurrent first calls agree on one value
    /// because the row's key is fixed and only the first insert lands.
    /// </summary>
    public async Task<Guid> IdentityAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE IF NOT EXISTS {IdentityTable} (singleton INTEGER PRIMARY KEY, identity VARCHAR(36) NOT NULL)";
            try
            {
                await create.ExecuteNonQueryAsync(ct);
            }
            catch (DbException) when (_provider == PersistenceSettings.PostgreSql)
            {
                // Two members creating the table at once: PostgreSQL lets one win and fails the other; it exists now.
            }
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"INSERT INTO {IdentityTable} (singleton, identity) VALUES (1, @identity) ON CONFLICT DO NOTHING";
            AddParameter(insert, "identity", Guid.NewGuid().ToString("D"));
            await insert.ExecuteNonQueryAsync(ct);
        }

        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT identity FROM {IdentityTable} WHERE singleton = 1";
        var value = await select.ExecuteScalarAsync(ct);
        return Guid.Parse((string)value!);
    }

    /// <summary>sqlite or postgresql, as configured.</summary>
    public string Provider => _provider;

    /// <summary>
    /// Opens a connection and runs a trivial query: whether the database answers at all, whatever the journal
    /// plugin's state. Throws when it does not; <paramref name="ct"/> bounds the wait.
    /// </summary>
    public async Task PingAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1";
        await cmd.ExecuteScalarAsync(ct);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = _provider == PersistenceSettings.PostgreSql
            ? new NpgsqlConnection(_connectionString)
            : new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = _provider == PersistenceSettings.PostgreSql
            ? "SELECT to_regclass(@table) IS NOT NULL"
            : "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = @table";
        AddParameter(cmd, "table", table);
        return Convert.ToBoolean(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand cmd, string name, string value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
