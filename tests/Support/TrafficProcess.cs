using System.Collections.Concurrent;
using System.Diagnostics;

namespace TrafficActors.Tests.Support;

/// <summary>
/// The real <c>traffic</c> executable as a child process (the build puts traffic.dll next to the tests), with its
/// output captured so a test can wait for a line and show the log when it fails.
/// </summary>
public sealed class TrafficProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private TrafficProcess(string args, IDictionary<string, string>? env)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "traffic.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" {args}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["TRAFFIC_LOG_LEVEL"] = "INFO";
        // Test processes read from a test's embedded broker (traffic.kafka.embedded.profile).
        psi.Environment["TRAFFIC_KAFKA_EMBEDDED_PROFILE"] = "on";
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    public static TrafficProcess Start(string args, IDictionary<string, string>? env = null) => new(args, env);

    /// <summary>Waits for a line starting with <paramref name="prefix"/> and returns the rest of it.</summary>
    public string WaitForLine(string prefix, TimeSpan timeout)
    {
        string? line = null;
        Poll.Wait(
            () => (line = _lines.FirstOrDefault(l => l.Contains(prefix, StringComparison.Ordinal))) is not null || _process.HasExited,
            timeout, () => $"a line '{prefix}'; output:\n{Output}", TimeSpan.FromMilliseconds(50));
        if (line is null) throw new TimeoutException($"no line '{prefix}' before the process exited; output:\n{Output}");
        return line[(line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..].Trim();
    }

    public int Id => _process.Id;

    /// <summary>SIGTERM, as an operator or orchestrator stops a node: it drains, leaves the cluster and exits.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        if (_process.HasExited) return true;
        using (var kill = Process.Start("kill", $"-TERM {_process.Id}")) kill.WaitForExit();
        return WaitForExit(timeout);
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Waits for the exit and then for the last output lines: with a timeout, <see cref="Process.WaitForExit(TimeSpan)"/>
    /// returns before the redirected output is drained, so a quickly exiting verb's message could still be missing.
    /// </summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit();
        return true;
    }

    /// <summary>SIGKILL: no drain, no commit, no goodbye.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
