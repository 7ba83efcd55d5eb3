using System.Diagnostics;

namespace TrafficActors.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL server in a temp folder on a free loopback port, run as the postgres user because
/// initdb and pg_ctl refuse root. test.sh installs the server package; without it this fixture fails loudly.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    // Random per server, so a test can look for it in logs without matching anything else.
    private readonly string _password = "pg-" + Guid.NewGuid().ToString("N");
    private readonly string _bin;
    private readonly string _root;

    public PostgresServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
            : "";
        if (_bin.Length == 0)
            throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql; run ./test.sh (it installs the postgresql package)");

        _root = Path.Combine(Path.GetTempPath(), "traffic-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        Port = FreePorts.Next();
        var data = Path.Combine(_root, "data");
        var pwFile = Path.Combine(_root, "pw");
        File.WriteAllText(pwFile, _password);
        Run("chown", $"-R postgres {_root}");
        AsPostgres("initdb", $"-D {data} -U postgres --auth=md5 --pwfile={pwFile} -E UTF8 --no-sync");
        AsPostgres("pg_ctl", $"-D {data} -l {Path.Combine(_root, "log")} -o \"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off\" -w start");
        ConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Password={_password};Database=postgres;Pooling=true";
    }

    public int Port { get; }

    /// <summary>The superuser's password (a secret that must never show up in a node's logs or answers).</summary>
    public string Password => _password;

    public string ConnectionString { get; }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase(string name)
    {
        using var c = new Npgsql.NpgsqlConnection(ConnectionString + ";Pooling=false");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"CREATE DATABASE \"{name}\"";
        cmd.ExecuteNonQuery();
        return ConnectionString.Replace("Database=postgres", $"Database={name}", StringComparison.Ordinal);
    }

    public void Stop() => AsPostgres("pg_ctl", $"-D {Path.Combine(_root, "data")} -m fast -w stop", failOk: true);

    public void Start()
    {
        if (IsRunning) return;
        AsPostgres("pg_ctl", $"-D {Path.Combine(_root, "data")} -l {Path.Combine(_root, "log")} -o \"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off\" -w start");
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    public bool IsRunning => AsPostgres("pg_ctl", $"-D {Path.Combine(_root, "data")} status", failOk: true) == 0;

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: temp is cleaned by the OS eventually.
        }
    }

    private int AsPostgres(string tool, string args, bool failOk = false) =>
        Run("runuser", $"-u postgres -- {Path.Combine(_bin, tool)} {args}", failOk);

    private static int Run(string file, string args, bool failOk = false)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && !failOk)
            throw new InvalidOperationException($"{file} {args} failed ({p.ExitCode}): {stderr.Result}");
        return p.ExitCode;
    }
}
