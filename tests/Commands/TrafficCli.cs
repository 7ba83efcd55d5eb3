using System.Diagnostics;
using TrafficActors.Web.Management;

namespace TrafficActors.Tests.Commands;

/// <summary>Runs the built <c>traffic</c> binary (copied next to the tests) as a real process.</summary>
internal static class TrafficCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(string? adminToken, params string[] args) =>
        RunWithEnvironmentAsync(adminToken is null ? new Dictionary<string, string>() : new() { [AdminToken.EnvironmentVariable] = adminToken }, args);

    /// <summary>Runs the binary with these variables set on top of a clean operator environment (no token, no TRAFFIC_NODE).</summary>
    public static async Task<Result> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var psi = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "traffic.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove(AdminToken.EnvironmentVariable);
        psi.Environment.Remove("TRAFFIC_NODE");
        foreach (var (name, value) in environment) psi.Environment[name] = value;

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cts.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
