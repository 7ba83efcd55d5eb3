using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace TrafficActors.Windows;

/// <summary>
/// Compact, versioned binary format for what window buckets persist. Written here rather than through a general
/// serializer because journal rows live for the retention period and must stay readable across releases: every
/// payload starts with a format version, and adding a field means a new version, never a silent reinterpretation.
/// Alerts per batch reach thousands, so the format is also a few times smaller than JSON.
/// </summary>
public sealed class WindowEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka serializer id; stable forever (stored with every journal row).</summary>
    public const int SerializerId = 7301;

    private const string CreatedManifest = "WC";
    private const string CountedManifest = "AC";
    private const string SnapshotManifest = "WS";
    private const string ClosedManifest = "WX";
    private const string PublishedManifest = "WP";
    private const string PublishingManifest = "WI";
    private const byte Version1 = 1;

    // Snapshots from version 2 on end with how the window closed; version 1 snapshots are read as open.
    private const byte Version2 = 2;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        WindowCreated => CreatedManifest,
        AlertsCounted => CountedManifest,
        WindowSnapshot => SnapshotManifest,
        WindowClosed => ClosedManifest,
        WindowPublished => PublishedManifest,
        WindowPublishing => PublishingManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not a window event", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(obj is WindowSnapshot ? Version2 : Version1);
            switch (obj)
            {
                case WindowCreated c:
                    w.Write(c.Start.UtcTicks);
                    w.Write(c.Length.Ticks);
                    break;
                case AlertsCounted e:
                    WriteCounted(w, e);
                    break;
                case WindowSnapshot s:
                    WriteSnapshot(w, s);
                    break;
                case WindowClosed x:
                    w.Write(x.Watermark.UtcTicks);
                    w.Write(x.ClosedAt.UtcTicks);
                    break;
                case WindowPublished p:
                    w.Write(p.Start.UtcTicks);
                    break;
                case WindowPublishing p:
                    w.Write(p.Start.UtcTicks);
                    break;
                default:
                    throw new ArgumentException($"{obj.GetType()} is not a window event", nameof(obj));
            }
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        var version = r.ReadByte();
        var newest = manifest == SnapshotManifest ? Version2 : Version1;
        if (version < Version1 || version > newest)
            throw new SerializationException($"window event format version {version} is not supported for '{manifest}'");
        return manifest switch
        {
            CreatedManifest => new WindowCreated(new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero), TimeSpan.FromTicks(r.ReadInt64())),
            CountedManifest => ReadCounted(r),
            SnapshotManifest => ReadSnapshot(r, version),
            PublishedManifest => new WindowPublished(new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero)),
            PublishingManifest => new WindowPublishing(new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero)),
            ClosedManifest => new WindowClosed(new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero), new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero)),
            _ => throw new SerializationException($"unknown window event manifest '{manifest}'"),
        };
    }

    private static void WriteCounted(BinaryWriter w, AlertsCounted e)
    {
        // Colors and rule names repeat across a batch: write each distinct string once and refer to it by index.
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in e.Counted)
        {
            strings.TryAdd(a.Color, strings.Count);
            foreach (var rule in a.Rules) strings.TryAdd(rule, strings.Count);
        }

        w.Write7BitEncodedInt(strings.Count);
        foreach (var s in strings.Keys) w.Write(s);
        w.Write7BitEncodedInt(e.Counted.Count);
        foreach (var a in e.Counted)
        {
            w.Write(a.IdHash);
            w.Write7BitEncodedInt(strings[a.Color]);
            w.Write7BitEncodedInt(a.Rules.Length);
            foreach (var rule in a.Rules) w.Write7BitEncodedInt(strings[rule]);
            w.Write(a.Speed);
            w.Write7BitEncodedInt(a.Gear);
            w.Write7BitEncodedInt(a.Rpm);
        }

        w.Write7BitEncodedInt(e.Late.Count);
        foreach (var h in e.Late) w.Write(h);
    }

    private static AlertsCounted ReadCounted(BinaryReader r)
    {
        var strings = new string[r.Read7BitEncodedInt()];
        for (var i = 0; i < strings.Length; i++) strings[i] = string.Intern(r.ReadString());
        var counted = new CountedAlert[r.Read7BitEncodedInt()];
        for (var i = 0; i < counted.Length; i++)
        {
            var hash = r.ReadUInt64();
            var color = strings[r.Read7BitEncodedInt()];
            var rules = new string[r.Read7BitEncodedInt()];
            for (var j = 0; j < rules.Length; j++) rules[j] = strings[r.Read7BitEncodedInt()];
            counted[i] = new CountedAlert(hash, color, rules, r.ReadDouble(), r.Read7BitEncodedInt(), r.Read7BitEncodedInt());
        }

        var late = new ulong[r.Read7BitEncodedInt()];
        for (var i = 0; i < late.Length; i++) late[i] = r.ReadUInt64();
        return new AlertsCounted(counted, late);
    }

    // The layout of persisted snapshots: start, length, then the figures, then (version 2) whether and how the window
    // closed; every version must stay readable.
    private static void WriteSnapshot(BinaryWriter w, WindowSnapshot s)
    {
        var stats = s.Stats;
        w.Write(stats.WindowStart.UtcTicks);
        w.Write((stats.WindowEnd - stats.WindowStart).Ticks);
        w.Write(stats.Alerts);
        WriteCounts(w, stats.ByColor);
        WriteCounts(w, stats.ByRule);
        w.Write(stats.MaxSpeed);
        w.Write(stats.MaxGear);
        w.Write(stats.MaxRpm);
        w.Write(stats.Late);
        w.Write(s.IdsDropped);
        w.Write7BitEncodedInt(s.Seen.Length);
        foreach (var h in s.Seen) w.Write(h);
        w.Write(s.Closed is not null);
        if (s.Closed is { } closed)
        {
            w.Write(closed.Watermark.UtcTicks);
            w.Write(closed.ClosedAt.UtcTicks);
        }
    }

    private static WindowSnapshot ReadSnapshot(BinaryReader r, byte version)
    {
        var start = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
        var length = TimeSpan.FromTicks(r.ReadInt64());
        var alerts = r.ReadInt64();
        var byColor = ReadCounts(r);
        var byRule = ReadCounts(r);
        var maxSpeed = r.ReadDouble();
        var maxGear = r.ReadInt32();
        var maxRpm = r.ReadInt32();
        var late = r.ReadInt64();
        var dropped = r.ReadBoolean();
        var seen = new ulong[r.Read7BitEncodedInt()];
        for (var i = 0; i < seen.Length; i++) seen[i] = r.ReadUInt64();
        WindowClosed? closed = null;
        if (version >= Version2 && r.ReadBoolean())
            closed = new WindowClosed(new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero), new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero));
        var stats = new WindowStats(start, start + length, alerts, byColor, byRule, maxSpeed, maxGear, maxRpm, late, closed is not null);
        return new WindowSnapshot(stats, seen, dropped, closed);
    }

    private static void WriteCounts(BinaryWriter w, Dictionary<string, long> counts)
    {
        w.Write7BitEncodedInt(counts.Count);
        foreach (var (k, v) in counts)
        {
            w.Write(k);
            w.Write(v);
        }
    }

    private static Dictionary<string, long> ReadCounts(BinaryReader r)
    {
        var n = r.Read7BitEncodedInt();
        var d = new Dictionary<string, long>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++) d[r.ReadString()] = r.ReadInt64();
        return d;
    }
}
