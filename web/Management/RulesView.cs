using System.Text.Json;

namespace TrafficActors.Web.Management;

/// <summary>
/// <c>GET /rules</c>: the rules in force on this node, where they came from and since when, a newer document that was
/// rejected (<c>Error</c>), and the complete effective document (every threshold, overrides in full).
/// </summary>
public sealed record RulesView(string Version, string Source, DateTimeOffset Since, string? Error, JsonElement Document);

/// <summary><c>PUT /rules</c>: the version stored, where, and whether anything changed (false: that exact document was already there).</summary>
public sealed record RulesSetView(string Version, string Target, bool Changed);
