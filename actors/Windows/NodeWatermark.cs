using Akka.Actor;

namespace TrafficActors.Windows;

/// <summary>
/// The cluster-wide watermark as this node knows it, kept by its <see cref="WatermarkActor"/> and read by the
/// window buckets the node hosts when they count and on their watermark check. Null until every raw-data partition
/// has been reported; it only moves forward.
/// </summary>
public sealed class NodeWatermark : IExtension
{
    private long _ticks = long.MinValue;

    public DateTimeOffset? Current
    {
        get
        {
            var ticks = Interlocked.Read(ref _ticks);
            return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public static NodeWatermark Get(ActorSystem system) => system.WithExtension<NodeWatermark, Provider>();

    /// <summary>Moves the watermark to <paramref name="watermark"/> unless it is already there or further.</summary>
    public void Advance(DateTimeOffset watermark)
    {
        var ticks = watermark.UtcTicks;
        var seen = Interlocked.Read(ref _ticks);
        while (ticks > seen)
        {
            var was = Interlocked.CompareExchange(ref _ticks, ticks, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    public sealed class Provider : ExtensionIdProvider<NodeWatermark>
    {
        public override NodeWatermark CreateExtension(ExtendedActorSystem system) => new();
    }
}
