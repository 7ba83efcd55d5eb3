using System.Diagnostics;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Serialization;
using TrafficActors.Settings;
using TrafficActors.Tracing;
using TrafficActors.Windows;
using Xunit;

namespace TrafficActors.Tests.Placement;

/// <summary>The serializers the node's HOCON binds, exercised through Akka's serialization like remoting does.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class PipelineMessageSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serialization", TrafficConfig.Load());

    public void Dispose() => _system.Dispose();

    private object RoundTrip(object message, out Serializer serializer)
    {
        serializer = _system.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        return _system.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));
    }

    [Fact]
    public void Sample_batches_and_replies_round_trip_through_the_pipeline_serializer()
    {
        var e = new RawEvent("6b1f", new DateTimeOffset(2026, 11, 28, 10, 15, 30, TimeSpan.FromHours(2)), 42, 131.25, 4200, 4, new GeoPoint(32.1, 34.8));
        var second = e with { EventId = "6b20", Location = null, Speed = 12.5 };
        var sample = (ProcessSamples)RoundTrip(new ProcessSamples(42, [e, second], Sequence: 987_654_321_012), out var s1);
        Assert.IsType<PipelineMessageSerializer>(s1);
        Assert.Equal(42, sample.CarId);
        Assert.Equal([e, second], sample.Events);
        Assert.Equal(987_654_321_012, sample.Sequence);
        Assert.Equal(e.EventTime.Offset, sample.Events[0].EventTime.Offset);
        Assert.Null(sample.Events[1].Location);

        var alert = new Alert(new EnrichedSample("6b1f", e.EventTime, 42, 131.25, 4200, 4, null, 9, "Kia", "Rio", "Red", 5), ["overspeed", "wrong_gear"]);
        var processed = (SamplesProcessed)RoundTrip(new SamplesProcessed(42, [alert]), out _);
        Assert.Equal(42, processed.Sequence);
        Assert.Equal(alert.Violations, Assert.Single(processed.Alerts).Violations);
        Assert.Equal(alert with { Violations = processed.Alerts[0].Violations }, processed.Alerts[0]);
        Assert.Empty(((SamplesProcessed)RoundTrip(new SamplesProcessed(1, []), out _)).Alerts);
    }

    [Fact]
    public void Alert_batches_and_their_replies_round_trip()
    {
        var start = new DateTimeOffset(2026, 11, 28, 10, 15, 0, TimeSpan.Zero);
        var a = new Alert(new EnrichedSample("a1", start.AddSeconds(3), 7, 150, 6500, 2, new GeoPoint(1, 2), 99, "Kia", "Rio", "Red", 5), ["overspeed"]);
        var b = new Alert(a.Sample with { EventId = "a2", Location = null, DriverId = null, ColorName = null }, []);
        var back = (CountAlerts)RoundTrip(new CountAlerts("w-1", start, TimeSpan.FromMinutes(1), [a, b], 77, 3), out var s);
        Assert.IsType<PipelineMessageSerializer>(s);
        Assert.Equal(("w-1", start, TimeSpan.FromMinutes(1), 77L, 3), (back.WindowId, back.WindowStart, back.WindowLength, back.Sequence, back.Part));
        Assert.Equal(["a1", "a2"], back.Alerts.Select(x => x.Sample.EventId));
        Assert.Equal(b with { Violations = back.Alerts[1].Violations }, back.Alerts[1]);
        Assert.Equal(new AlertBatchCounted("w-1", 77, 3, 5, 2, 1), RoundTrip(new AlertBatchCounted("w-1", 77, 3, 5, 2, 1), out _));
    }

    [Fact]
    public void Traces_of_traced_events_travel_with_every_batch_message()
    {
        var ctx = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var other = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        EventTrace[] traces = [new(0, ctx), new(200, other)];
        var e = new RawEvent("6b1f", DateTimeOffset.UtcNow, 42, 131.25, 4200, 4, null);
        var alert = new Alert(EnrichedSample.From(e, null, 5), ["overspeed"]);

        var samples = (ProcessSamples)RoundTrip(new ProcessSamples(42, [e], 1, traces), out _);
        var processed = (SamplesProcessed)RoundTrip(new SamplesProcessed(1, [alert], traces), out _);
        var count = (CountAlerts)RoundTrip(new CountAlerts("w-1", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), [alert], 1, 0, traces), out _);
        foreach (var back in new[] { samples.Traces, processed.Traces, count.Traces })
        {
            Assert.NotNull(back);
            Assert.Equal(traces.Select(t => (t.Index, t.Context.TraceId, t.Context.SpanId, t.Context.TraceFlags)),
                back.Select(t => (t.Index, t.Context.TraceId, t.Context.SpanId, t.Context.TraceFlags)));
            Assert.All(back, t => Assert.True(t.Context.IsRemote));
        }

        // Nothing traced stays null, which the actors test for, rather than becoming an empty list.
        Assert.Null(((ProcessSamples)RoundTrip(new ProcessSamples(42, [e], 1), out _)).Traces);
        Assert.Null(((SamplesProcessed)RoundTrip(new SamplesProcessed(1, [alert]), out _)).Traces);
        Assert.Null(((CountAlerts)RoundTrip(new CountAlerts("w-1", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), [alert], 1, 0), out _)).Traces);
    }

    [Fact]
    public void Alerts_keep_the_version_of_the_rules_that_judged_them_across_nodes()
    {
        var start = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        var a = new Alert(new EnrichedSample("a1", start, 7, 150, 6500, 2, null, 99, "Kia", "Rio", "Red", 5), ["overspeed"], "2026-12-07.1");
        var b = new Alert(a.Sample with { EventId = "a2" }, ["wrong_gear"], "2026-12-07.2");
        var c = new Alert(a.Sample with { EventId = "a3" }, ["overspeed"]);
        var d = new Alert(a.Sample with { EventId = "a4" }, ["overspeed"], "2026-12-07.1");
        Alert[] alerts = [a, b, c, d];
        var expected = alerts.Select(x => (x.Sample.EventId, x.RulesVersion));

        var processed = (SamplesProcessed)RoundTrip(new SamplesProcessed(5, alerts), out _);
        Assert.Equal(expected, processed.Alerts.Select(x => (x.Sample.EventId, x.RulesVersion)));
        var traces = new[] { new EventTrace(1, new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)) };
        var count = (CountAlerts)RoundTrip(new CountAlerts("w-1", start, TimeSpan.FromMinutes(1), alerts, 9, 1, traces), out _);
        Assert.Equal(expected, count.Alerts.Select(x => (x.Sample.EventId, x.RulesVersion)));
        Assert.Single(count.Traces!);
        Assert.Equal(a.Sample, count.Alerts[0].Sample);
        Assert.Equal("2026-12-07.1", ((CountAlert)RoundTrip(new CountAlert("w-1", start, TimeSpan.FromMinutes(1), a), out _)).Alert.RulesVersion);
        Assert.Null(((CountAlert)RoundTrip(new CountAlert("w-1", start, TimeSpan.FromMinutes(1), c), out _)).Alert.RulesVersion);
    }

    [Fact]
    public void A_node_of_the_previous_build_reads_versioned_alerts_and_its_own_messages_read_as_unversioned()
    {
        // The versions follow everything else: without them the bytes are exactly the previous build's message.
        var serializer = new PipelineMessageSerializer((ExtendedActorSystem)_system);
        var sample = new EnrichedSample("a1", DateTimeOffset.UnixEpoch, 7, 150, 6500, 2, null, 99, "Kia", "Rio", "Red", 5);
        var versioned = new SamplesProcessed(3, [new Alert(sample, ["overspeed"], "v1"), new Alert(sample with { EventId = "a2" }, ["overspeed"], "v1")]);
        var plain = new SamplesProcessed(3, [new Alert(sample, ["overspeed"]), new Alert(sample with { EventId = "a2" }, ["overspeed"])]);
        var withVersions = serializer.ToBinary(versioned);
        var without = serializer.ToBinary(plain);
        Assert.Equal(without, withVersions[..without.Length]);
        // One table entry and one index byte per alert.
        Assert.Equal(1 + 1 + "v1".Length + 2, withVersions.Length - without.Length);

        var old = (SamplesProcessed)serializer.FromBinary(without, serializer.Manifest(plain));
        Assert.All(old.Alerts, x => Assert.Null(x.RulesVersion));
        var bad = withVersions.ToArray();
        bad[^1] = 5;
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bad, serializer.Manifest(versioned)));
    }

    [Fact]
    public void Messages_of_the_format_before_traces_are_still_read()
    {
        // Version 1 is version 2 without the trailing trace list: what a node of the previous build sends.
        var serializer = new PipelineMessageSerializer((ExtendedActorSystem)_system);
        var e = new RawEvent("6b1f", DateTimeOffset.UtcNow, 42, 131.25, 4200, 4, new GeoPoint(1, 2));
        var alert = new Alert(EnrichedSample.From(e, null, 5), ["overspeed"]);
        foreach (var message in new object[]
                 {
                     new ProcessSamples(42, [e], 7), new SamplesProcessed(7, [alert]),
                     new CountAlerts("w-1", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), [alert], 7, 2),
                 })
        {
            var bytes = serializer.ToBinary(message);
            Assert.Equal(2, bytes[0]);
            Assert.Equal(0, bytes[^1]);
            var v1 = bytes[..^1];
            v1[0] = 1;
            var back = serializer.FromBinary(v1, serializer.Manifest(message));
            Assert.Equal(message.GetType(), back.GetType());
            switch (back)
            {
                case ProcessSamples p: Assert.Equal((42L, 7L, e, (IReadOnlyList<EventTrace>?)null), (p.CarId, p.Sequence, p.Events.Single(), p.Traces)); break;
                case SamplesProcessed p: Assert.Equal(("6b1f", 7L), (p.Alerts.Single().Sample.EventId, p.Sequence)); Assert.Null(p.Traces); break;
                case CountAlerts c: Assert.Equal(("w-1", 2, "6b1f"), (c.WindowId, c.Part, c.Alerts.Single().Sample.EventId)); Assert.Null(c.Traces); break;
            }
        }
    }

    [Fact]
    public void The_largest_count_a_batch_sends_fits_in_one_remote_frame()
    {
        // Worst case of what the reference data allows: every optional field set, long names, every rule violated.
        var config = TrafficConfig.Load();
        var perCount = TrafficSettings.FromConfig(config).Ingest.MaxAlertsPerCount;
        var frame = config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size") ?? throw new InvalidOperationException("no frame size");
        var start = new DateTimeOffset(2026, 11, 28, 10, 15, 0, TimeSpan.Zero);
        var name = new string('x', 40);
        var alerts = Enumerable.Range(0, perCount).Select(i => new Alert(
            new EnrichedSample(Guid.NewGuid().ToString(), start.AddMilliseconds(i), long.MaxValue - i, 250.125, 9000, 6, new GeoPoint(32.123456, 34.987654),
            long.MaxValue, name, name, name, 6), ["overspeed", "wrong_gear", "engine_stress", "harsh_braking", "speeding_streak"])).ToArray();
        var count = new CountAlerts("window-bucket-" + name, start, TimeSpan.FromMinutes(1), alerts, long.MaxValue, int.MaxValue);
        var bytes = _system.Serialization.FindSerializerFor(count).ToBinary(count);
        Assert.True(bytes.Length < frame, $"{perCount} alerts take {bytes.Length:N0} bytes; the remote frame holds {frame:N0}");
    }

    [Fact]
    public void Alert_counts_and_replies_round_trip_with_every_optional_field()
    {
        var full = new Alert(new EnrichedSample("a1", DateTimeOffset.UtcNow, 7, 150, 6500, 2, new GeoPoint(1, 2), 99, "Kia", "Rio", "Red", 5), ["overspeed", "engine_stress"]);
        var bare = new Alert(full.Sample with { Location = null, DriverId = null, BrandName = null, ModelName = null, ColorName = null }, []);
        foreach (var alert in new[] { full, bare })
        {
            var start = new DateTimeOffset(2026, 11, 28, 10, 15, 0, TimeSpan.Zero);
            var back = (CountAlert)RoundTrip(new CountAlert("w-1", start, TimeSpan.FromMinutes(1), alert), out var s);
            Assert.IsType<PipelineMessageSerializer>(s);
            Assert.Equal(("w-1", start, TimeSpan.FromMinutes(1)), (back.WindowId, back.WindowStart, back.WindowLength));
            Assert.Equal(alert.Violations, back.Alert.Violations);
            Assert.Equal(alert with { Violations = back.Alert.Violations }, back.Alert);
        }

        foreach (var decision in Enum.GetValues<WindowDecision>())
            Assert.Equal(new AlertCounted("a1", decision), RoundTrip(new AlertCounted("a1", decision), out _));
    }

    [Fact]
    public void Other_messages_between_nodes_use_hyperion_not_json()
    {
        var status = RoundTrip(new GetCarStatus(12), out var serializer);
        Assert.Equal("HyperionSerializer", serializer.GetType().Name);
        Assert.Equal(new GetCarStatus(12), status);
    }

    [Fact]
    public void A_car_status_with_its_trace_crosses_nodes_whole()
    {
        var t = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        var last = new EnrichedSample("e2", t.AddSeconds(1), 12, 130.5, 6500, 4, new GeoPoint(32.1, 34.8), 99, "Kia", "Rio", "Red", 4);
        var status = new CarStatus(12, "akka.tcp://traffic@10.0.0.1:4053/system/sharding/car/3/12", 2, 1,
            new Dictionary<string, long> { ["overspeed"] = 1, ["engine_stress"] = 1 }, last, "sha256:abc",
            [new TracePoint(t, 80.2, 3000, 3), new TracePoint(t.AddSeconds(1), 130.5, 6500, 4)]);
        var back = (CarStatus)RoundTrip(status, out var serializer);
        Assert.Equal("HyperionSerializer", serializer.GetType().Name);
        Assert.Equal((status.CarId, status.ActorPath, status.Samples, status.Alerts, status.LastSample, status.ReferenceVersion), (back.CarId, back.ActorPath, back.Samples, back.Alerts, back.LastSample, back.ReferenceVersion));
        Assert.Equal(status.AlertsByRule, back.AlertsByRule);
        Assert.Equal(status.Trace, back.Trace);
    }

    [Fact]
    public void A_message_from_an_unknown_format_version_is_refused()
    {
        var serializer = new PipelineMessageSerializer((ExtendedActorSystem)_system);
        var bytes = serializer.ToBinary(new AlertCounted("a1", WindowDecision.Count));
        bytes[0] = 9;
        var ex = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(new AlertCounted("a1", WindowDecision.Count))));
        Assert.Contains("version 9", ex.Message);
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "??"));
        Assert.Throws<ArgumentException>(() => serializer.ToBinary("not a pipeline message"));
    }
}
