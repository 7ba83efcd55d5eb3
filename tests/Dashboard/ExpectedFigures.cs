using TrafficActors.Domain;
using TrafficActors.Rules;
using TrafficActors.Tests.Pipeline;

namespace TrafficActors.Tests.Dashboard;

/// <summary>What the dashboard must show for a set of produced datasets, computed by the test oracle.</summary>
internal sealed record ExpectedFigures(IReadOnlyList<RawEvent> Alerting, IReadOnlyDictionary<string, long> ByRule, RawEvent Newest)
{
    public long TotalViolations => Alerting.Count;

    public long EngineStress => ByRule.GetValueOrDefault(RuleNames.EngineStress);

    public static ExpectedFigures Of(params Dataset[] datasets)
    {
        var alerting = datasets.SelectMany(d => d.Valid).Where(e => Dataset.ExpectedViolations(e).Count > 0).ToList();
        var byRule = alerting.SelectMany(Dataset.ExpectedViolations).GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var newest = alerting.OrderByDescending(e => e.EventTime).ThenBy(e => e.EventId, StringComparer.Ordinal).First();
        return new ExpectedFigures(alerting, byRule, newest);
    }
}
