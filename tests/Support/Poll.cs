namespace TrafficActors.Tests.Support;

/// <summary>Waits for a condition that other processes make true, tolerating a node that is not answering yet.</summary>
public static class Poll
{
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
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

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250));
        }

        throw new TimeoutException($"timed out after {timeout} waiting for {what}");
    }
}
