using System.Diagnostics;

namespace TrafficActors.Tests.Support;

/// <summary>
/// The one way tests wait: asks a condition again until it holds, tolerating a node that is not answering yet, and
/// fails naming what it waited for. A description given as a function is read at the timeout, so it can tell the
/// last state seen.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    public static Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        Until(condition, timeout, () => what, interval);

    public static Task Until(Func<bool> condition, TimeSpan timeout, Func<string> what, TimeSpan? interval = null) =>
        Until(() => Task.FromResult(condition()), timeout, what, interval);

    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
                // Not listening (yet); ask again.
            }
            catch (TaskCanceledException)
            {
                // Slow answer under load; ask again.
            }

            await Task.Delay(interval ?? DefaultInterval);
        }

        throw new TimeoutException($"timed out after {timeout} waiting for {what()}");
    }

    /// <summary>
    /// For callers that cannot await (a synchronous test, a helper returning a value). The polling runs on the
    /// thread pool, so blocking here never waits on a continuation queued to the caller's synchronization context.
    /// </summary>
    public static void Wait(Func<bool> condition, TimeSpan timeout, Func<string> what, TimeSpan? interval = null) =>
        Task.Run(() => Until(condition, timeout, what, interval)).GetAwaiter().GetResult();
}
