using System.Diagnostics;
using System.Text.Json;

namespace TrafficActors.Tests.Support;

/// <summary>
/// A real Prometheus server (Debian's package, see <see cref="Promtool"/>) on a free loopback port, with a given
/// configuration and the files it refers to written into a throw-away folder beside it.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string ConfigFile = "prometheus.yml";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly TempDir _dir = new();
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<string> _output = [];

    private PrometheusServer(string config, IReadOnlyDictionary<string, string> files)
    {
        File.WriteAllText(Path.Combine(_dir.Path, ConfigFile), config);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(_dir.Path, name), text);
        Url = $"http://127.0.0.1:{FreePorts.Next()}";
        var psi = new ProcessStartInfo(Promtool.Binary("prometheus"))
        {
            WorkingDirectory = _dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={Path.Combine(_dir.Path, ConfigFile)}", $"--storage.tsdb.path={Path.Combine(_dir.Path, "data")}",
                     $"--web.listen-address={new Uri(Url).Authority}", "--log.level=warn",
                 })
            psi.ArgumentList.Add(arg);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Url { get; }

    /// <summary>What the server printed (warnings and errors), for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    public static async Task<PrometheusServer> StartAsync(string config, IReadOnlyDictionary<string, string> files)
    {
        var server = new PrometheusServer(config, files);
        try
        {
            await Poll.Until(
                async () => !server._process.HasExited && (await server._http.GetAsync(server.Url + "/-/ready")).IsSuccessStatusCode,
                StartTimeout, () => $"Prometheus ready on {server.Url}: {server.Output}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>data</c> of an instant query at the current time; fails with Prometheus' error for a bad query.</summary>
    public Task<JsonElement> QueryAsync(string promql) => GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));

    /// <summary>The <c>data</c> of an HTTP API answer (<c>/api/v1/...</c>).</summary>
    public async Task<JsonElement> GetAsync(string pathAndQuery)
    {
        using var answer = await _http.GetAsync(Url + pathAndQuery);
        using var doc = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        if (root.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"Prometheus {pathAndQuery}: {root.GetProperty("error").GetString()}");
        return root.GetProperty("data").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _dir.Dispose();
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }
}
