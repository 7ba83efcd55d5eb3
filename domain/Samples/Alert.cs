using System.Text.Json.Serialization;

namespace TrafficActors.Domain;

/// <summary>
/// An enriched sample that broke at least one rule (topic <c>alert-data</c>); one per offending event. On the wire
/// it is the sample's JSON object with a <c>violations</c> list appended, as the seed writes it, then
/// <c>rules_version</c>: the version of the rules that judged it (absent in records written before rules had
/// versions, and readers must accept that).
/// </summary>
[JsonConverter(typeof(AlertJsonConverter))]
public sealed record Alert(EnrichedSample Sample, IReadOnlyList<string> Violations, string? RulesVersion = null);
