using System.Globalization;

namespace TrafficActors.Windows;

/// <summary>
/// One aggregator entity: an event-time tumbling window split into buckets by car_id so a busy window is spread
/// over several actors (and shards). The entity id is readable: <c>2026-11-28T10:05:00Z#2</c>.
/// </summary>
public readonly record struct WindowKey(DateTimeOffset Start, int Bucket)
{
    public string EntityId => $"{Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}#{Bucket}";

    public static WindowKey For(DateTimeOffset eventTime, long carId, TimeSpan length, int buckets)
    {
        var ticks = eventTime.UtcTicks - (eventTime.UtcTicks % length.Ticks);
        return new WindowKey(new DateTimeOffset(ticks, TimeSpan.Zero), (int)(carId % buckets));
    }

    public static DateTimeOffset StartOf(DateTimeOffset eventTime, TimeSpan length) =>
        new(eventTime.UtcTicks - (eventTime.UtcTicks % length.Ticks), TimeSpan.Zero);
}
