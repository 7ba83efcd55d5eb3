using TrafficActors.Domain;

namespace TrafficActors.Tests.Support;

internal static class AlertExtensions
{
    /// <summary>The same alert for an event at <paramref name="eventTime"/>.</summary>
    public static Alert At(this Alert alert, DateTimeOffset eventTime) =>
        alert with { Sample = alert.Sample with { EventTime = eventTime } };
}
