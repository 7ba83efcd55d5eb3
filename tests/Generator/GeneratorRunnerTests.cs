using System.Diagnostics;
using System.Text;
using TrafficActors.Domain;
using TrafficActors.Generator;
using TrafficActors.Kafka;
using Xunit;

namespace TrafficActors.Tests.Generator;

[Trait(Tier.Name, Tier.Fast)]
public sealed class GeneratorRunnerTests
{
    private static GeneratorSettings Settings(double rate, long count = 0, TimeSpan? duration = null) =>
        new() { Mode = GeneratorMode.Seed, Rate = rate, Count = count, Duration = duration, Topic = "raw-test" };

    [Fact]
    public async Task Paces_to_the_rate_without_drift_and_stops_at_the_duration()
    {
        var settings = Settings(1000, duration: TimeSpan.FromSeconds(5));
        var time = new VirtualTimeProvider(SimulatedRun.Origin);
        var producer = new FakeProducer();
        var runner = new GeneratorRunner(settings, settings.CreateSource(), time);

        var result = await runner.RunAsync(producer, CancellationToken.None);

        Assert.Equal(GeneratorStopReason.DurationElapsed, result.StopReason);
        Assert.Equal(5000, result.Produced);
        Assert.Equal(5000, result.Delivered);
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, result.Pending);
        Assert.Equal(1, producer.FlushCalls);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.002));
        Assert.InRange(result.Rate, 999, 1000.01);
        // Event k leaves at k / rate (rounded up to the millisecond timer), from the first to the last.
        for (var k = 0; k < producer.Sent.Count; k++)
        {
            var offset = producer.Sent[k].Message.Timestamp.UtcDateTime - SimulatedRun.Origin.UtcDateTime;
            Assert.InRange(offset.TotalMilliseconds, k - 0.001, k + 1.001);
        }
    }

    [Fact]
    public async Task Sends_valid_keyed_messages_to_the_topic_and_stops_at_the_count()
    {
        var settings = Settings(0, count: 3000);
        var producer = new FakeProducer();
        var result = await new GeneratorRunner(settings, settings.CreateSource(), TimeProvider.System).RunAsync(producer, CancellationToken.None);

        Assert.Equal(GeneratorStopReason.CountReached, result.StopReason);
        Assert.Equal(3000, result.Produced);
        Assert.Equal(3000, producer.Sent.Count);
        foreach (var (topic, message) in producer.Sent)
        {
            Assert.Equal("raw-test", topic);
            var parsed = RawEventParser.Parse(message.Value, ValidationLimits.Default);
            Assert.True(parsed.IsValid, parsed.Error);
            Assert.Equal(parsed.Event!.CarId.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(message.Key!));
        }
    }

    [Fact]
    public async Task Starts_the_traces_of_a_share_of_events_and_marks_the_others_not_recorded()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GeneratorTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        var settings = Settings(0, count: 2000);
        var producer = new FakeProducer();
        var runner = new GeneratorRunner(settings, settings.CreateSource(), TimeProvider.System) { TraceSamplingRatio = 0.25 };
        await runner.RunAsync(producer, CancellationToken.None);

        var states = producer.Sent.Select(m => (State: TraceParentHeader.Read(m.Message.Headers, out var ctx), ctx)).ToList();
        Assert.All(states, s => Assert.Contains(s.State, new[] { TraceParentState.Sampled, TraceParentState.Unsampled }));
        var sampled = states.Where(s => s.State == TraceParentState.Sampled).Select(s => s.ctx.SpanId).ToHashSet();
        // 500 expected; the bounds are over six standard deviations away.
        Assert.InRange(sampled.Count, 380, 620);
        lock (stopped)
        {
            // Every traced send ended with its delivery report; parallel tests may add spans of their own.
            Assert.Subset(stopped.Select(a => a.SpanId).ToHashSet(), sampled);
            Assert.All(stopped.Where(a => sampled.Contains(a.SpanId)), a => Assert.Equal("send raw-test", a.DisplayName));
        }
    }

    [Fact]
    public async Task Counts_failed_deliveries_and_retries_a_full_queue()
    {
        var settings = Settings(0, count: 1000);
        var producer = new FakeProducer { FailEvery = 10, QueueFullEvery = 7 };
        var result = await new GeneratorRunner(settings, settings.CreateSource(), new VirtualTimeProvider(SimulatedRun.Origin))
            .RunAsync(producer, CancellationToken.None);

        Assert.Equal(1000, result.Produced);
        Assert.Equal(1000, producer.Sent.Count);
        Assert.Equal(100, result.Failed);
        Assert.Equal(900, result.Delivered);
    }

    [Fact]
    public async Task Reports_progress_about_four_times_a_second()
    {
        var settings = Settings(200, duration: TimeSpan.FromSeconds(10));
        var reports = new List<GeneratorProgress>();
        var runner = new GeneratorRunner(settings, settings.CreateSource(), new VirtualTimeProvider(SimulatedRun.Origin), reports.Add);

        var result = await runner.RunAsync(new FakeProducer(), CancellationToken.None);

        Assert.InRange(reports.Count, 38, 42);
        Assert.All(reports.SkipLast(1), r => Assert.InRange(r.Rate, 190, 210));
        var last = reports[^1];
        Assert.Equal(result.Produced, last.Produced);
        Assert.Equal(result.Delivered, last.Delivered);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Item1.Elapsed <= p.Item2.Elapsed && p.Item1.Produced <= p.Item2.Produced));
    }

    [Fact]
    public async Task Cancellation_stops_the_run_and_still_flushes()
    {
        var settings = Settings(100);
        using var cts = new CancellationTokenSource();
        var producer = new FakeProducer();
        var runner = new GeneratorRunner(settings, settings.CreateSource(), new VirtualTimeProvider(SimulatedRun.Origin), p =>
        {
            if (p.Elapsed >= TimeSpan.FromSeconds(3))
                cts.Cancel();
        });

        var result = await runner.RunAsync(producer, cts.Token);

        Assert.Equal(GeneratorStopReason.Cancelled, result.StopReason);
        Assert.InRange(result.Produced, 300, 302);
        Assert.Equal(1, producer.FlushCalls);
    }

    [Fact]
    public async Task A_short_real_time_run_keeps_roughly_to_the_rate()
    {
        var settings = Settings(500, duration: TimeSpan.FromMilliseconds(400));
        var result = await new GeneratorRunner(settings, settings.CreateSource(), TimeProvider.System)
            .RunAsync(new FakeProducer(), CancellationToken.None);

        // A loaded machine may wake late, but overdue events are caught up and none run ahead of the schedule.
        Assert.Equal(200, result.Produced);
        Assert.True(result.Elapsed >= TimeSpan.FromMilliseconds(400));
        Assert.Equal(GeneratorStopReason.DurationElapsed, result.StopReason);
    }
}
