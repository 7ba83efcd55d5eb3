using System.Diagnostics;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Kafka;
using TrafficActors.Rules;
using TrafficActors.Settings;

namespace TrafficActors.Bench;

/// <summary>
/// The yardstick: one bare Confluent.Kafka consumer in a fresh group that parses every event and applies the same
/// rule engine the car actors use (with per-car rule memory in a dictionary), nothing else. No actors, no outputs,
/// no persistence, no offsets kept.
/// </summary>
public static class BaselineConsumer
{
    public static ThroughputDetail Run(KafkaSettings kafka, string topic, long events, long warmup, ValidationLimits limits, RuleSettings rules, TimeSpan timeout)
    {
        var config = kafka.ToConsumerConfig("bench-baseline", "bench-baseline-" + Guid.NewGuid().ToString("N"));
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        using var consumer = KafkaClients.Consumer(config);
        consumer.Subscribe(topic);
        var engine = new RuleEngine(rules);
        var states = new Dictionary<long, CarRuleState>();
        long seen = 0;
        long alerts = 0;
        var deadline = Stopwatch.StartNew();
        // The clock starts after the warm-up events (at least the first, whose wait for the broker is no work).
        var untimed = Math.Max(warmup, 1);
        Stopwatch? cold = null;
        Stopwatch? clock = null;
        CpuClock? cpu = null;
        while (seen < events)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"baseline read {seen} of {events} events");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is null) continue;
            cold ??= Stopwatch.StartNew();
            seen++;
            var parsed = RawEventParser.Parse(result.Message.Value ?? [], limits);
            if (!parsed.IsValid) continue;
            var e = parsed.Event!;
            var verdict = engine.Evaluate(states.GetValueOrDefault(e.CarId, CarRuleState.Initial), e.EventTime, e.Speed, e.Rpm, e.Gear);
            states[e.CarId] = verdict.NextState;
            if (verdict.IsAlert) alerts++;
            if (seen == untimed)
            {
                cpu = CpuClock.Start();
                clock = Stopwatch.StartNew();
            }
        }

        var seconds = clock!.Elapsed.TotalSeconds;
        var coldSeconds = cold!.Elapsed.TotalSeconds;
        var cpuUs = cpu!.ElapsedMicroseconds();
        var gc = cpu.Gc();
        var jit = cpu.Jit();
        consumer.Close();
        var measured = seen - untimed;
        return new ThroughputDetail(measured, seconds, measured / seconds, alerts, cpuUs / measured, gc.AllocatedBytes / (double)measured, gc, jit, (seen - 1) / coldSeconds);
    }
}
