using System.Diagnostics;

namespace TrafficActors.Tests.Support;

/// <summary>
/// Debian's <c>prometheus</c> package: the server and <c>promtool</c>, found on PATH. test.sh installs the package
/// for the integration tier; without it these fail loudly rather than skip.
/// </summary>
internal static class Promtool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The full path of <paramref name="tool"/> (<c>prometheus</c> or <c>promtool</c>).</summary>
    public static string Binary(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} not found on PATH; run ./test.sh (it installs Debian's prometheus package)");

    /// <summary>Runs promtool in <paramref name="workingDirectory"/>: exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(Binary("promtool")) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
