using Xunit.Abstractions;

namespace TrafficActors.Tests.Support;

/// <summary>
/// Test output that is also appended, line by line and timestamped, to the file named by TRAFFIC_TEST_PROGRESS
/// (test.sh sets it). xunit shows a test's output only once the test ends; when a long cluster test is stopped
/// from outside (the runner's hang guard), this file is what still says which step it was on.
/// </summary>
public sealed class ProgressOutput(ITestOutputHelper inner, string test) : ITestOutputHelper
{
    private static readonly Lock FileLock = new();
    private static readonly string? File = Environment.GetEnvironmentVariable("TRAFFIC_TEST_PROGRESS");

    public void WriteLine(string message)
    {
        inner.WriteLine(message);
        if (string.IsNullOrWhiteSpace(File)) return;
        lock (FileLock)
        {
            System.IO.File.AppendAllText(File, $"{DateTime.UtcNow:HH:mm:ss} [{test}] {message}\n");
        }
    }

    public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
}
