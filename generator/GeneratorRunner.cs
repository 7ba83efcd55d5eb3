using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Kafka;

namespace TrafficActors.Generator;

/// <summary>
/// Pushes events from an <see cref="IEventSource"/> to Kafka at a steady rate. Event k is due at k / Rate seconds
/// after the start, so pacing never drifts: a late wake-up just produces the overdue events as one batch.
/// </summary>
public sealed class GeneratorRunner
{
    /// <summary>How often the progress callback fires.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    // Caps the work between two checks of the clock, cancellation and progress, even when far behind schedule.
    private const int MaxBatch = 2_000;

    // librdkafka's local queue is full: give the broker a moment to drain it before retrying the same message.
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(20);

    private readonly GeneratorSettings _settings;
    private readonly IEventSource _source;
    private readonly TimeProvider _time;
    private readonly Action<GeneratorProgress>? _progress;

    public GeneratorRunner(GeneratorSettings settings, IEventSource source, TimeProvider timeProvider, Action<GeneratorProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _settings = settings.Validate();
        _source = source;
        _time = timeProvider;
        _progress = progress;
    }

    /// <summary>
    /// Share of events whose trace starts here (traffic.telemetry.tracing.sampling-ratio), when something listens to
    /// <see cref="GeneratorTracing.Source"/>; the others carry a "not recorded" traceparent.
    /// </summary>
    public double TraceSamplingRatio { get; init; }

    /// <summary>Longest wait for outstanding deliveries once producing stops.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Produces until Count, Duration or cancellation, then flushes. Cancellation is a normal way to stop: the
    /// result is returned (with <see cref="GeneratorStopReason.Cancelled"/>) rather than thrown.
    /// </summary>
    public async Task<GeneratorResult> RunAsync(IProducer<byte[]?, byte[]?> producer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(producer);
        var counter = new DeliveryCounter();
        var rate = _settings.Rate;
        var count = _settings.Count;
        var duration = _settings.Duration;
        var start = _time.GetTimestamp();
        long produced = 0;
        var lastReportAt = TimeSpan.Zero;
        long lastReportProduced = 0;
        GeneratorStopReason reason;

        while (true)
        {
            var elapsed = _time.GetElapsedTime(start);
            if (ct.IsCancellationRequested)
            {
                reason = GeneratorStopReason.Cancelled;
                break;
            }

            if (count > 0 && produced >= count)
            {
                reason = GeneratorStopReason.CountReached;
                break;
            }

            // Event k (0-based) is due at k / rate, so floor(elapsed * rate) + 1 events are due by now.
            var due = rate > 0 ? (long)Math.Floor(elapsed.TotalSeconds * rate) + 1 : produced + MaxBatch;
            if (duration is { } limit && elapsed >= limit)
            {
                // A late final wake-up still sends what fell due before the deadline, so a run of Duration at Rate
                // always produces Rate x Duration events.
                var total = rate > 0 ? (long)Math.Ceiling((limit.TotalSeconds * rate) - 1e-9) : 0;
                if (produced >= total)
                {
                    reason = GeneratorStopReason.DurationElapsed;
                    break;
                }

                due = total;
            }

            if (count > 0)
                due = Math.Min(due, count);
            var batch = (int)Math.Min(due - produced, MaxBatch);

            if (batch > 0)
            {
                var now = _time.GetUtcNow();
                for (var i = 0; i < batch; i++)
                {
                    if (!await ProduceOneAsync(producer, _source.Next(now), counter, ct).ConfigureAwait(false))
                        break;
                    produced++;
                }

                elapsed = _time.GetElapsedTime(start);
            }

            if (elapsed - lastReportAt >= ProgressInterval)
            {
                var window = (elapsed - lastReportAt).TotalSeconds;
                Report(counter, produced, elapsed, window > 0 ? (produced - lastReportProduced) / window : 0);
                lastReportAt = elapsed;
                lastReportProduced = produced;
            }

            if (rate <= 0)
            {
                // Flat out, but still let other work on this thread run between batches.
                await Task.Yield();
                continue;
            }

            if (produced < due)
                continue;

            // At least one tick: rounding can leave the next event "due" a hair before floor(elapsed * rate) agrees.
            var wait = Max(TimeSpan.FromTicks((long)Math.Ceiling(produced * TimeSpan.TicksPerSecond / rate)) - elapsed, TimeSpan.FromTicks(1));
            wait = Min(wait, lastReportAt + ProgressInterval - elapsed);
            if (duration is { } end)
                wait = Min(wait, end - elapsed);
            if (wait <= TimeSpan.Zero)
                continue;
            // Task.Delay with a TimeProvider truncates to whole milliseconds, and a sub-millisecond wait would become
            // a busy spin; rounding up only makes a wake-up slightly late, which the next batch absorbs.
            wait = TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
            try
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Checked at the top of the loop, which records the stop reason.
            }
        }

        var producing = _time.GetElapsedTime(start);
        // The flush runs even after cancellation: whatever is already queued should still reach the broker.
        await Task.Run(() => producer.Flush(FlushTimeout), CancellationToken.None).ConfigureAwait(false);

        var average = producing > TimeSpan.Zero ? produced / producing.TotalSeconds : 0;
        Report(counter, produced, producing, average);
        return new GeneratorResult(produced, counter.Delivered, counter.Failed, producing, average, reason);
    }

    private async ValueTask<bool> ProduceOneAsync(IProducer<byte[]?, byte[]?> producer, RawEvent e, DeliveryCounter counter, CancellationToken ct)
    {
        var message = new Message<byte[]?, byte[]?>
        {
            Key = WireFormat.CarKey(e.CarId),
            Value = WireFormat.ToJson(e),
            Timestamp = new Timestamp(e.EventTime),
        };
        var handler = counter.Handler;
        Activity? span = null;
        if (GeneratorTracing.Source.HasListeners())
        {
            message.Headers = [];
            if (KafkaTracing.StartsTrace(TraceSamplingRatio))
                span = KafkaTracing.StartSend(GeneratorTracing.Source, _settings.Topic, default, message.Headers, e.CarId.ToString(CultureInfo.InvariantCulture));
            if (span is null)
            {
                // The decision not to record this event travels with it, so no node samples it again.
                TraceParentHeader.WriteUnsampled(message.Headers);
            }
            else
            {
                var traced = span;
                handler = report =>
                {
                    counter.Handler(report);
                    KafkaTracing.Sent(traced, report);
                };
            }
        }

        while (true)
        {
            try
            {
                producer.Produce(_settings.Topic, message, handler);
                return true;
            }
            catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                try
                {
                    await Task.Delay(QueueFullBackoff, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping while back-pressured: this event was never queued, so it is neither produced nor failed.
                    EndUnsent(span, "cancelled before it was queued");
                    return false;
                }
            }
            catch (KafkaException ex)
            {
                // Rejected up front (e.g. message too large, unknown topic): it counts as produced and failed, like
                // a failed delivery report would.
                counter.AddFailed();
                EndUnsent(span, ex.Error.Reason);
                return true;
            }
        }
    }

    private static void EndUnsent(Activity? span, string reason)
    {
        if (span is null) return;
        span.SetStatus(ActivityStatusCode.Error, reason);
        KafkaTracing.StopDetached(span);
    }

    private void Report(DeliveryCounter counter, long produced, TimeSpan elapsed, double rate) =>
        _progress?.Invoke(new GeneratorProgress(produced, counter.Delivered, counter.Failed, elapsed, rate));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
