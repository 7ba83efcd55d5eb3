using System.Diagnostics;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Rules;

namespace TrafficActors.Bench;

/// <summary>
/// The yardstick: one bare Confluent.Kafka consumer in a fresh group that parses every event and applies the same
/// rule engine the car actors use (with per-car rule memory in a dictionary), nothing else. No actors, no outputs,
/// no persistence, no offsets kept.
/// </summary>
public static class BaselineConsumer
{
    public static ThroughputDetail Run(string bootstrap, string topic, long events, ValidationLimits limits, RuleSettings rules, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-baseline-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var engine = new RuleEngine(rules);
        var states = new Dictionary<long, CarRuleState>();
        long seen = 0;
        long alerts = 0;
        var deadline = Stopwatch.StartNew();
        Stopwatch? clock = null;
        CpuClock? cpu = null;
        while (seen < events)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"baseline read {seen} of {events} events");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is null) continue;
            cpu ??= CpuClock.Start();
            clock ??= Stopwatch.StartNew();
            seen++;
            var parsed = RawEventParser.Parse(result.Message.Value ?? [], limits);
            if (!parsed.IsValid) continue;
            var e = parsed.Event!;
            var verdict = engine.Evaluate(states.GetValueOrDefault(e.CarId, CarRuleState.Initial), e.EventTime, e.Speed, e.Rpm, e.Gear);
            states[e.CarId] = verdict.NextState;
            if (verdict.IsAlert) alerts++;
        }

        var seconds = clock!.Elapsed.TotalSeconds;
        var cpuUs = cpu!.ElapsedMicroseconds();
        var gc = cpu.Gc();
        consumer.Close();
        // The first event starts the clock, so it is not part of the measured interval.
        return new ThroughputDetail(seen, seconds, (seen - 1) / seconds, alerts, cpuUs / (seen - 1), gc.AllocatedBytes / (double)(seen - 1), gc);
    }
}
