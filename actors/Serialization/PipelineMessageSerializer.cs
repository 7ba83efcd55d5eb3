using System.Diagnostics;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Tracing;
using TrafficActors.Windows;

namespace TrafficActors.Serialization;

/// <summary>
/// Binary format of the messages every event sends between nodes: a batch of samples to its car, the car's reply
/// with its alerts, a batch of alerts to its window bucket and the bucket's reply (and the single-alert count). Written by hand because these few fixed shapes dominate
/// cross-node traffic and a field-by-field writer is several times smaller and faster than a general-purpose
/// serializer (`traffic-bench serialization` prints the figures); everything else between nodes uses Hyperion.
/// Nodes of one cluster run the same build, so the leading version byte only guards against mixing builds; version 1
/// (before traces) is still read, so a node being upgraded understands the ones not yet upgraded. The rules versions of
/// alerts trail the message, so the previous build reads a message carrying them too.
/// </summary>
public sealed class PipelineMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 7302;

    private const string SamplesManifest = "PB";
    private const string ProcessedManifest = "BP";
    private const string CountBatchManifest = "CB";
    private const string BatchCountedManifest = "BC";
    private const string CountManifest = "CA";
    private const string CountedManifest = "AC";
    private const byte Version1 = 1;
    private const byte Version2 = 2;
    private const int TraceIdSize = 16;
    private const int SpanIdSize = 8;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        ProcessSamples => SamplesManifest,
        SamplesProcessed => ProcessedManifest,
        CountAlerts => CountBatchManifest,
        AlertBatchCounted => BatchCountedManifest,
        CountAlert => CountManifest,
        AlertCounted => CountedManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not a pipeline message", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream(256);
        using (var w = new BinaryWriter(stream))
        {
            w.Write(Version2);
            switch (obj)
            {
                case ProcessSamples m:
                    w.Write(m.CarId);
                    w.Write(m.Sequence);
                    w.Write7BitEncodedInt(m.Events.Count);
                    foreach (var e in m.Events) WriteEvent(w, e);
                    WriteTraces(w, m.Traces);
                    break;
                case SamplesProcessed m:
                    w.Write(m.Sequence);
                    WriteAlerts(w, m.Alerts);
                    WriteTraces(w, m.Traces);
                    WriteRulesVersions(w, m.Alerts);
                    break;
                case CountAlerts m:
                    w.Write(m.WindowId);
                    w.Write(m.WindowStart.UtcTicks);
                    w.Write(m.WindowLength.Ticks);
                    w.Write(m.Sequence);
                    w.Write(m.Part);
                    WriteAlerts(w, m.Alerts);
                    WriteTraces(w, m.Traces);
                    WriteRulesVersions(w, m.Alerts);
                    break;
                case AlertBatchCounted m:
                    w.Write(m.WindowId);
                    w.Write(m.Sequence);
                    w.Write(m.Part);
                    w.Write(m.Counted);
                    w.Write(m.Duplicates);
                    w.Write(m.Late);
                    break;
                case CountAlert m:
                    w.Write(m.WindowId);
                    w.Write(m.WindowStart.UtcTicks);
                    w.Write(m.WindowLength.Ticks);
                    WriteAlert(w, m.Alert);
                    WriteRulesVersions(w, [m.Alert]);
                    break;
                case AlertCounted m:
                    w.Write(m.EventId);
                    w.Write((byte)m.Decision);
                    break;
                default:
                    throw new ArgumentException($"{obj.GetType()} is not a pipeline message", nameof(obj));
            }
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false));
        var version = r.ReadByte();
        if (version is not (Version1 or Version2)) throw new SerializationException($"pipeline message format version {version} is not supported");
        var traced = version >= Version2;
        return manifest switch
        {
            SamplesManifest => ReadSamples(r, traced),
            ProcessedManifest => ReadSamplesProcessed(r, traced),
            CountBatchManifest => ReadCountAlerts(r, traced),
            BatchCountedManifest => new AlertBatchCounted(r.ReadString(), r.ReadInt64(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32()),
            CountManifest => new CountAlert(r.ReadString(), new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero), TimeSpan.FromTicks(r.ReadInt64()), WithRulesVersions(r, [ReadAlert(r)])[0]),
            CountedManifest => new AlertCounted(r.ReadString(), (WindowDecision)r.ReadByte()),
            _ => throw new SerializationException($"unknown pipeline message manifest '{manifest}'"),
        };
    }

    private static void WriteEvent(BinaryWriter w, RawEvent e) => WriteReading(w, e.EventId, e.EventTime, e.CarId, e.Speed, e.Rpm, e.Gear, e.Location);

    // The fields a raw event and an alert share, in the same order for both.
    private static void WriteReading(BinaryWriter w, string eventId, DateTimeOffset time, long carId, double speed, int rpm, int gear, GeoPoint? location)
    {
        w.Write(eventId);
        WriteTime(w, time);
        w.Write(carId);
        w.Write(speed);
        w.Write(rpm);
        w.Write(gear);
        WriteLocation(w, location);
    }

    private static RawEvent ReadEvent(BinaryReader r) =>
        new(r.ReadString(), ReadTime(r), r.ReadInt64(), r.ReadDouble(), r.ReadInt32(), r.ReadInt32(), ReadLocation(r));

    private static ProcessSamples ReadSamples(BinaryReader r, bool traced)
    {
        var carId = r.ReadInt64();
        var sequence = r.ReadInt64();
        var events = new RawEvent[r.Read7BitEncodedInt()];
        for (var i = 0; i < events.Length; i++) events[i] = ReadEvent(r);
        return new ProcessSamples(carId, events, sequence, traced ? ReadTraces(r) : null);
    }

    private static CountAlerts ReadCountAlerts(BinaryReader r, bool traced)
    {
        var windowId = r.ReadString();
        var start = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
        var length = TimeSpan.FromTicks(r.ReadInt64());
        var sequence = r.ReadInt64();
        var part = r.ReadInt32();
        var alerts = ReadAlerts(r);
        var traces = traced ? ReadTraces(r) : null;
        return new CountAlerts(windowId, start, length, WithRulesVersions(r, alerts), sequence, part, traces);
    }

    private static SamplesProcessed ReadSamplesProcessed(BinaryReader r, bool traced)
    {
        var sequence = r.ReadInt64();
        var alerts = ReadAlerts(r);
        var traces = traced ? ReadTraces(r) : null;
        return new SamplesProcessed(sequence, WithRulesVersions(r, alerts), traces);
    }

    /// <summary>
    /// The version of the rules that judged each alert, after everything else in the message: a reader of the
    /// previous build stops before it and reads the rest as before, and a message from such a node simply ends
    /// there. Written only when an alert has a version; the few versions in use go in a table and each alert
    /// takes one index byte (0 for none), since every alert of a batch is usually judged by one version.
    /// </summary>
    private static void WriteRulesVersions(BinaryWriter w, IReadOnlyList<Alert> alerts)
    {
        List<string>? table = null;
        foreach (var a in alerts)
        {
            if (a.RulesVersion is { } v && !(table ??= []).Contains(v)) table.Add(v);
        }

        if (table is null) return;
        w.Write7BitEncodedInt(table.Count);
        foreach (var v in table) w.Write(v);
        foreach (var a in alerts) w.Write7BitEncodedInt(a.RulesVersion is { } v ? table.IndexOf(v) + 1 : 0);
    }

    /// <summary>The alerts, with the rules versions that follow the message when it has them.</summary>
    private static Alert[] WithRulesVersions(BinaryReader r, AlertParts[] parts)
    {
        var alerts = new Alert[parts.Length];
        string[] table = [];
        var versioned = r.BaseStream.Position < r.BaseStream.Length;
        if (versioned)
        {
            table = new string[r.Read7BitEncodedInt()];
            // Versions repeat on every alert, like rule names: one copy per node.
            for (var i = 0; i < table.Length; i++) table[i] = string.Intern(r.ReadString());
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var index = versioned ? r.Read7BitEncodedInt() : 0;
            if (index > table.Length) throw new SerializationException($"rules version index {index} is outside the message's table of {table.Length}");
            alerts[i] = new Alert(parts[i].Sample, parts[i].Violations, index == 0 ? null : table[index - 1]);
        }

        return alerts;
    }

    private static void WriteTraces(BinaryWriter w, IReadOnlyList<EventTrace>? traces)
    {
        w.Write7BitEncodedInt(traces?.Count ?? 0);
        if (traces is null) return;
        Span<byte> id = stackalloc byte[TraceIdSize];
        foreach (var t in traces)
        {
            w.Write7BitEncodedInt(t.Index);
            t.Context.TraceId.CopyTo(id);
            w.Write(id);
            t.Context.SpanId.CopyTo(id[..SpanIdSize]);
            w.Write(id[..SpanIdSize]);
            w.Write((byte)t.Context.TraceFlags);
        }
    }

    // Null rather than empty when nothing is traced, which is what the actors test for.
    private static EventTrace[]? ReadTraces(BinaryReader r)
    {
        var count = r.Read7BitEncodedInt();
        if (count == 0) return null;
        var traces = new EventTrace[count];
        Span<byte> id = stackalloc byte[TraceIdSize];
        for (var i = 0; i < count; i++)
        {
            var index = r.Read7BitEncodedInt();
            r.BaseStream.ReadExactly(id);
            var traceId = ActivityTraceId.CreateFromBytes(id);
            r.BaseStream.ReadExactly(id[..SpanIdSize]);
            var spanId = ActivitySpanId.CreateFromBytes(id[..SpanIdSize]);
            traces[i] = new EventTrace(index, new ActivityContext(traceId, spanId, (ActivityTraceFlags)r.ReadByte(), isRemote: true));
        }

        return traces;
    }

    private static void WriteAlerts(BinaryWriter w, IReadOnlyList<Alert> alerts)
    {
        w.Write7BitEncodedInt(alerts.Count);
        foreach (var a in alerts) WriteAlert(w, a);
    }

    private static AlertParts[] ReadAlerts(BinaryReader r)
    {
        var alerts = new AlertParts[r.Read7BitEncodedInt()];
        for (var i = 0; i < alerts.Length; i++) alerts[i] = ReadAlert(r);
        return alerts;
    }

    private static void WriteAlert(BinaryWriter w, Alert a)
    {
        var s = a.Sample;
        WriteReading(w, s.EventId, s.EventTime, s.CarId, s.Speed, s.Rpm, s.Gear, s.Location);
        w.Write(s.DriverId.HasValue);
        if (s.DriverId is { } driver) w.Write(driver);
        WriteOptional(w, s.BrandName);
        WriteOptional(w, s.ModelName);
        WriteOptional(w, s.ColorName);
        w.Write(s.ExpectedGear);
        WriteStrings(w, a.Violations);
    }

    private static AlertParts ReadAlert(BinaryReader r)
    {
        var e = ReadEvent(r);
        long? driver = r.ReadBoolean() ? r.ReadInt64() : null;
        var sample = new EnrichedSample(e.EventId, e.EventTime, e.CarId, e.Speed, e.Rpm, e.Gear, e.Location, driver, ReadOptional(r), ReadOptional(r), ReadOptional(r), r.ReadInt32());
        return new AlertParts(sample, ReadStrings(r));
    }

    /// <summary>An alert read up to its violations; it is built once its rules version, at the message's end, is known.</summary>
    private readonly record struct AlertParts(EnrichedSample Sample, string[] Violations);

    // Offset kept: the event time is echoed to Kafka as the producer wrote it.
    private static void WriteTime(BinaryWriter w, DateTimeOffset t)
    {
        w.Write(t.Ticks);
        w.Write((short)t.TotalOffsetMinutes);
    }

    private static DateTimeOffset ReadTime(BinaryReader r)
    {
        var ticks = r.ReadInt64();
        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(r.ReadInt16()));
    }

    private static void WriteLocation(BinaryWriter w, GeoPoint? p)
    {
        w.Write(p is not null);
        if (p is null) return;
        w.Write(p.Lat);
        w.Write(p.Lon);
    }

    private static GeoPoint? ReadLocation(BinaryReader r) => r.ReadBoolean() ? new GeoPoint(r.ReadDouble(), r.ReadDouble()) : null;

    private static void WriteOptional(BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null) w.Write(s);
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write7BitEncodedInt(values.Count);
        foreach (var v in values) w.Write(v);
    }

    // Rule names repeat on every alert: interning keeps one copy per node.
    private static string[] ReadStrings(BinaryReader r)
    {
        var values = new string[r.Read7BitEncodedInt()];
        for (var i = 0; i < values.Length; i++) values[i] = string.Intern(r.ReadString());
        return values;
    }
}
