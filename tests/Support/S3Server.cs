using System.Diagnostics;
using TrafficActors.Settings;

namespace TrafficActors.Tests.Support;

/// <summary>
/// A real S3-compatible server (s3rver through the project's launcher, tools/s3-server) on a free loopback port with
/// its data in a temp folder and per-instance credentials. Can be stopped and started again on the same port and data
/// to simulate an outage. test.sh runs `npm ci` in tools/s3-server; without it this fixture fails loudly.
/// </summary>
public sealed class S3Server : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string _launcher;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "traffic-s3-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public S3Server()
    {
        _launcher = FindLauncher();
        if (!Directory.Exists(Path.Combine(Path.GetDirectoryName(_launcher)!, "node_modules")))
            throw new InvalidOperationException($"S3 test server dependencies missing: run `npm ci` in {Path.GetDirectoryName(_launcher)} (./test.sh does)");
        Directory.CreateDirectory(_root);
        Port = FreePorts.Next();
        Start();
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public string AccessKey { get; } = "traffic-test";

    public string SecretKey { get; } = "s3cret-" + Guid.NewGuid().ToString("N");

    public ReferenceS3Settings Settings(string bucket, TimeSpan? poll = null) => new(
        Endpoint, AccessKey, SecretKey, "us-east-1", bucket, poll ?? TimeSpan.FromMilliseconds(200),
        TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));

    /// <summary>The same settings as HOCON, the way an operator would configure a node or <c>traffic init</c>.</summary>
    public string Hocon(string bucket, string? secret = null) =>
        $"traffic.reference.s3 {{ endpoint = \"{Endpoint}\", access-key = \"{AccessKey}\", secret-key = \"{secret ?? SecretKey}\", bucket = \"{bucket}\", poll-interval = 200ms, min-backoff = 100ms, max-backoff = 500ms, request-timeout = 2s }}";

    public void Start()
    {
        if (_process is { HasExited: false }) return;
        var psi = new ProcessStartInfo("node", [_launcher, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", Path.Combine(_root, "data")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["MINIO_ROOT_USER"] = AccessKey;
        psi.Environment["MINIO_ROOT_PASSWORD"] = SecretKey;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(StartTimeout) || ready.Result?.Contains("ready", StringComparison.Ordinal) != true)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"S3 test server did not start: {ready.Result} {process.StandardError.ReadToEnd()}");
        }

        _process = process;
    }

    public void Stop()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

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

    private static string FindLauncher()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "s3-server", "launcher.js");
            if (File.Exists(candidate)) return candidate;
        }

        throw new InvalidOperationException("tools/s3-server/launcher.js not found above " + AppContext.BaseDirectory);
    }
}
