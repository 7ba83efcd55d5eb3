using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TrafficActors.Web.Health;

/// <summary>
/// Asks an external dependency whether it answers, for a readiness check, without letting the probes hammer it or
/// hang the endpoint: one question at a time, its answer reused for <c>cacheFor</c>, and a caller waits at most
/// until <c>timeout</c> after the question was asked. A question still open then fails with "did not answer
/// within"; the next caller does not ask again while it stays open.
/// </summary>
public sealed class CachedProbe(string dependency, TimeSpan timeout, TimeSpan cacheFor, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _asking;
    private long _askedAt;
    private HealthCheckResult? _last;
    private long _answeredAt;

    /// <summary>The last answer while it is fresh, else the answer of <paramref name="ask"/> (shared with concurrent callers).</summary>
    public async Task<HealthCheckResult> CheckAsync(Func<CancellationToken, Task<HealthCheckResult>> ask, CancellationToken ct)
    {
        Task<HealthCheckResult> asking;
        long askedAt;
        lock (_gate)
        {
            if (_last is { } last && clock.GetElapsedTime(_answeredAt) < cacheFor) return last;
            if (_asking is null)
            {
                _askedAt = clock.GetTimestamp();
                // On the thread pool: a client that blocks (librdkafka) must not block the request that asked.
                _asking = Task.Run(() => AskAsync(ask), CancellationToken.None);
            }

            asking = _asking;
            askedAt = _askedAt;
        }

        var left = timeout - clock.GetElapsedTime(askedAt);
        try
        {
            if (left > TimeSpan.Zero) return await asking.WaitAsync(left, clock, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Falls through to the same answer as a caller that arrived after the deadline.
        }

        return NoAnswer();
    }

    private async Task<HealthCheckResult> AskAsync(Func<CancellationToken, Task<HealthCheckResult>> ask)
    {
        HealthCheckResult result;
        using var cts = new CancellationTokenSource(timeout, clock);
        try
        {
            result = await ask(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            result = NoAnswer();
        }
        catch (Exception ex)
        {
            result = HealthCheckResult.Unhealthy($"{dependency}: {Describe(ex)}");
        }

        lock (_gate)
        {
            _last = result;
            _answeredAt = clock.GetTimestamp();
            _asking = null;
        }

        return result;
    }

    private HealthCheckResult NoAnswer() =>
        HealthCheckResult.Unhealthy($"{dependency} did not answer within {Format(timeout)}");

    private static string Describe(Exception ex) =>
        ex.InnerException is { } inner && inner.Message != ex.Message ? $"{ex.Message} ({inner.Message})" : ex.Message;

    private static string Format(TimeSpan t) =>
        t.TotalSeconds >= 1 && t.Milliseconds == 0 ? $"{t.TotalSeconds:0}s" : $"{t.TotalMilliseconds:0}ms";
}
