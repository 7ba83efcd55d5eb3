using TrafficActors.Domain;

namespace TrafficActors.Tests.Generator;

/// <summary>
/// The detection rules as the pipeline states them, written independently of the generator so the tests check
/// what a detector would actually see in the stream. Episode counts are runs of consecutive offending samples of
/// one car.
/// </summary>
internal static class DownstreamRules
{
    public static int ExpectedGear(double speed) =>
        Math.Clamp((int)Math.Round(speed / 30, MidpointRounding.AwayFromZero), 1, 7);

    public static bool IsOverspeed(RawEvent e) => e.Speed > 120;

    public static bool IsEngineStress(RawEvent e) => e.Rpm > 6000;

    public static bool IsWrongGear(RawEvent e) => e.Gear != ExpectedGear(e.Speed);

    public static int Episodes(IEnumerable<RawEvent> events, Func<RawEvent, bool> rule) =>
        ByCar(events).Sum(samples => CountRuns(samples.Select(rule)));

    /// <summary>Runs of samples that are more than 40 km/h below some sample of the same car at most 3 s earlier.</summary>
    public static int HarshBrakingEpisodes(IEnumerable<RawEvent> events) =>
        ByCar(events).Sum(samples =>
        {
            var flags = samples.Select((e, i) =>
            {
                for (var j = i - 1; j >= 0 && e.EventTime - samples[j].EventTime <= TimeSpan.FromSeconds(3); j--)
                {
                    if (samples[j].Speed - e.Speed > 40)
                        return true;
                }

                return false;
            });
            return CountRuns(flags);
        });

    /// <summary>Runs above 120 km/h that last longer than 30 s from their first sample.</summary>
    public static int SustainedOverspeedEpisodes(IEnumerable<RawEvent> events) =>
        ByCar(events).Sum(samples =>
        {
            var count = 0;
            DateTimeOffset? runStart = null;
            var counted = false;
            foreach (var e in samples)
            {
                if (!IsOverspeed(e))
                {
                    runStart = null;
                    counted = false;
                    continue;
                }

                runStart ??= e.EventTime;
                if (!counted && e.EventTime - runStart.Value > TimeSpan.FromSeconds(30))
                {
                    count++;
                    counted = true;
                }
            }

            return count;
        });

    public static List<List<RawEvent>> ByCar(IEnumerable<RawEvent> events) =>
        events.GroupBy(e => e.CarId).Select(g => g.ToList()).ToList();

    private static int CountRuns(IEnumerable<bool> flags)
    {
        var runs = 0;
        var previous = false;
        foreach (var f in flags)
        {
            if (f && !previous)
                runs++;
            previous = f;
        }

        return runs;
    }
}
